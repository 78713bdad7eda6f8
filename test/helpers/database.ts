/** The database this run of the suite uses (TEST_DATABASE=postgresql: the PostgreSQL run). */
export const TEST_DATABASE: "sqlite" | "postgresql" =
  process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";

export const onPostgresql = TEST_DATABASE === "postgresql";
export const onSqlite = TEST_DATABASE === "sqlite";
