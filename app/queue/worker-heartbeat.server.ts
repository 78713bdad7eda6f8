import { hostname } from "node:os";
import type { Db } from "../db-types";

/** A worker beats this often; it counts as alive for WORKER_ALIVE_MS after its last beat. */
export const HEARTBEAT_MS = 10_000;
export const WORKER_ALIVE_MS = 45_000;
/** Rows of workers silent this long are removed by the others. */
const PRUNE_AFTER_MS = 60 * 60_000;

export interface WorkerIdentity {
  id: string;
  startedAt: Date;
}

export function workerIdentity(startedAt = new Date()): WorkerIdentity {
  return { id: `${hostname()}:${process.pid}:${startedAt.getTime().toString(36)}`, startedAt };
}

/** Records that this worker is alive now, and forgets workers long gone. */
export async function beat(db: Db, worker: WorkerIdentity, now: Date): Promise<void> {
  await db.workerHeartbeat.upsert({
    where: { id: worker.id },
    create: { id: worker.id, host: hostname(), pid: process.pid, startedAt: worker.startedAt, beatAt: now },
    update: { beatAt: now },
  });
  await db.workerHeartbeat.deleteMany({
    where: { beatAt: { lt: new Date(now.getTime() - PRUNE_AFTER_MS) } },
  });
}

/** A worker stopping on purpose says so, so it is not counted alive until its beat goes stale. */
export async function forgetWorker(db: Db, worker: WorkerIdentity): Promise<void> {
  await db.workerHeartbeat.deleteMany({ where: { id: worker.id } });
}

/** The freshest heartbeat and how many workers are alive. */
export async function workerLiveness(db: Db, now: Date) {
  const [freshest, alive] = await Promise.all([
    db.workerHeartbeat.findFirst({ orderBy: { beatAt: "desc" }, select: { beatAt: true } }),
    db.workerHeartbeat.count({ where: { beatAt: { gte: new Date(now.getTime() - WORKER_ALIVE_MS) } } }),
  ]);
  return {
    alive,
    lastBeatAgeSeconds: freshest ? Math.max(0, (now.getTime() - freshest.beatAt.getTime()) / 1000) : null,
  };
}
