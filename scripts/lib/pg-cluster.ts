import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir, totalmem } from "node:os";
import path from "node:path";

/**
 * A private PostgreSQL cluster from Debian's package, for development, tests and benchmarks
 * (docs/decisions/011): initdb into a directory of our own, pg_ctl start on 127.0.0.1 and a free
 * port, no Unix socket, password authentication. Never the system service, never a downloaded
 * binary. initdb refuses to run as root, so as root every cluster command runs as the `postgres`
 * user the package creates (runuser), and the directory is handed to that user.
 */
export const PG_USER = "privacydesk";

export interface PgCluster {
  dir: string;
  port: number;
  /** postgresql://privacydesk:…@127.0.0.1:<port>/<database> */
  url: (database: string) => string;
  stop: () => void;
}

export type ClusterSettings = Record<string, string | number>;

/** Settings for clusters that hold nothing worth keeping (tests): no waiting for the disk. */
export const THROWAWAY_SETTINGS: ClusterSettings = {
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
};

/** The newest Debian PostgreSQL's bin directory, or PG_BIN; null when none is installed. */
export function findPgBin(): string | null {
  if (process.env.PG_BIN)
    return existsSync(path.join(process.env.PG_BIN, "initdb")) ? process.env.PG_BIN : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((entry) => existsSync(path.join(root, entry, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

/**
 * PostgreSQL's built-in shared_buffers (128 MB) is sized to start on any machine; a server is
 * given about a quarter of its memory. With 128 MB a big purge's dirty pages did not fit, so the
 * backends, other shops' included, wrote them out themselves to free buffers, each write first
 * flushing the WAL up to that page: 67,000 such writes during bench:purge's purge, 650-880 with
 * 1 GB (ADR 005, sixth update: what that costs in time was within the runs' spread on our
 * machine). A quarter of this machine's memory, at most 1 GB; its pages are touched only
 * as they are used, so a small test cluster costs little more.
 */
function defaultSharedBuffers(): string {
  return `${Math.max(128, Math.min(1024, Math.floor(totalmem() / 4 / 2 ** 20)))}MB`;
}

/** The major version of the PostgreSQL in `bin` (15 for "postgres (PostgreSQL) 15.14 (Debian …)"). */
function majorVersion(bin: string): number {
  const version = spawnSync(path.join(bin, "postgres"), ["--version"], { encoding: "utf8" });
  const major = /PostgreSQL\) (\d+)/.exec(version.stdout ?? "")?.[1];
  if (version.status !== 0 || !major)
    throw new Error(`${bin}/postgres --version: ${version.stderr || version.stdout}`);
  return Number(major);
}

const isRoot = () => process.getuid?.() === 0;

function ownerIds(): { uid: number; gid: number } | null {
  if (!isRoot()) return null;
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error(
      "Running as root, PostgreSQL's initdb needs the 'postgres' user that Debian's package creates",
    );
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function run(bin: string, command: string, args: string[]) {
  const full = path.join(bin, command);
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", full, ...args]] : [full, args];
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`${command} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface ClusterFile {
  port: number;
  password: string;
}

/**
 * Starts the cluster in `dir` (initialised on first use; a throwaway temp directory when none is
 * given) and returns how to reach it. A cluster already running there is reused.
 */
export async function startCluster(
  options: { dir?: string; port?: number; settings?: ClusterSettings; log?: (line: string) => void } = {},
): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
  const throwaway = !options.dir;
  const dir = path.resolve(options.dir ?? mkdtempSync(path.join(tmpdir(), "privacy-desk-pg-")));
  mkdirSync(dir, { recursive: true });
  const owner = ownerIds();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  chmodSync(dir, 0o700);
  const data = path.join(dir, "data");
  const state = path.join(dir, "cluster.json");

  let file: ClusterFile;
  if (existsSync(path.join(data, "PG_VERSION")) && existsSync(state)) {
    file = JSON.parse(readFileSync(state, "utf8")) as ClusterFile;
  } else {
    file = { port: options.port ?? (await freePort()), password: randomBytes(18).toString("base64url") };
    const pwfile = path.join(dir, "pwfile");
    writeFileSync(pwfile, `${file.password}\n`, { mode: 0o600 });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    options.log?.(`initdb ${data}`);
    run(bin, "initdb", [
      "-D",
      data,
      "-U",
      PG_USER,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
      "--no-sync",
    ]);
    rmSync(pwfile);
    writeFileSync(state, JSON.stringify(file), { mode: 0o600 });
  }

  const settings: ClusterSettings = {
    listen_addresses: "127.0.0.1",
    port: file.port,
    unix_socket_directories: "''",
    max_connections: 300,
    // The full-page images PostgreSQL writes after each checkpoint are most of a big delete's WAL:
    // bench:purge's shop wrote 650 MB of WAL without this and 215 MB with it, 81 MB with no page
    // images at all (README, Running at scale). lz4 needs PostgreSQL 15, which Debian's package has been since bookworm.
    wal_compression: majorVersion(bin) >= 15 ? "lz4" : "on",
    shared_buffers: defaultSharedBuffers(),
    ...options.settings,
  };
  const status = spawnSync(
    isRoot() ? "runuser" : path.join(bin, "pg_ctl"),
    isRoot()
      ? ["-u", "postgres", "--", path.join(bin, "pg_ctl"), "status", "-D", data]
      : ["status", "-D", data],
  );
  if (status.status !== 0) {
    const flags = Object.entries(settings)
      .map(([key, value]) => `-c ${key}=${value}`)
      .join(" ");
    run(bin, "pg_ctl", [
      "start",
      "-w",
      "-t",
      "60",
      "-D",
      data,
      "-l",
      path.join(dir, "postgres.log"),
      "-o",
      flags,
    ]);
  }
  const url = (database: string) =>
    `postgresql://${PG_USER}:${encodeURIComponent(file.password)}@127.0.0.1:${file.port}/${database}`;
  return {
    dir,
    port: file.port,
    url,
    /** Stops the server; a throwaway cluster's directory goes with it. */
    stop: () => {
      run(bin, "pg_ctl", ["stop", "-w", "-m", "fast", "-D", data]);
      if (throwaway) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stops the cluster in `dir` if it is running; returns whether it was. */
export function stopCluster(dir: string): boolean {
  const bin = findPgBin();
  const data = path.join(path.resolve(dir), "data");
  if (!bin || !existsSync(path.join(data, "postmaster.pid"))) return false;
  run(bin, "pg_ctl", ["stop", "-w", "-m", "fast", "-D", data]);
  return true;
}
