/**
 * The two databases the app runs on (docs/decisions/011), told apart by DATABASE_URL's scheme:
 * `file:` is SQLite (the default, one app process), `postgresql://` (or `postgres://`) is
 * PostgreSQL (several app and worker processes).
 */
export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(databaseUrl: string): DatabaseProvider | null {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  if (databaseUrl.startsWith("file:")) return "sqlite";
  return null;
}

/** The URL without its password, for logs and error messages. */
export function redactDatabaseUrl(databaseUrl: string): string {
  if (databaseProvider(databaseUrl) !== "postgresql") return databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "postgresql://(unparseable)";
  }
}
