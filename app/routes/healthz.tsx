import { getDb } from "../db.server";

/** Liveness and database reachability, for load balancers and the benchmark. */
export const loader = async () => {
  await getDb().$queryRawUnsafe("SELECT 1");
  return Response.json({ ok: true });
};
