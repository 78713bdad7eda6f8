import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Runs SQLite's WAL checkpoints on a thread of their own, with its own connection.
 *
 * better-sqlite3 is synchronous, so whatever a commit does blocks the event loop. With SQLite's
 * automatic checkpoint, one commit in ten or so also copies the WAL back into the database file
 * and fsyncs it: 15-30 ms during which no webhook is read or answered, which set the p99 of a
 * steady webhook load (`npm run bench:ingest`). A PASSIVE checkpoint from another connection
 * never blocks the writer, and the writer restarts the WAL from its start once a checkpoint has
 * caught up, so the file stays small as long as this thread keeps up.
 *
 * The thread checkpoints every `intervalMs`. If it fails or dies, `onFailure` is called once: the
 * connection must then checkpoint for itself again, or the WAL would grow without bound.
 */
export interface WalCheckpointer {
  stop(): Promise<void>;
}

const THREAD_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { timeout: 5000 });
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
let timer = null;
const tick = () => {
  try {
    checkpoint.get();
  } catch (error) {
    // SQLITE_BUSY: another checkpoint is running (a separate worker, the CLI); try again later.
    if (error && error.code !== "SQLITE_BUSY") throw error;
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
tick();
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

export function startWalCheckpointer(
  file: string,
  options: { intervalMs?: number; onFailure: (error: Error) => void },
): WalCheckpointer {
  const betterSqlite3 = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { file, betterSqlite3, intervalMs: options.intervalMs ?? 100 },
  });
  // A process that is otherwise done (a CLI command) does not wait for checkpoints.
  worker.unref();
  let stopping = false;
  let failed = false;
  const fail = (error: Error) => {
    if (stopping || failed) return;
    failed = true;
    options.onFailure(error);
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the checkpoint thread exited with code ${code}`)));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      if (stopping || failed) return;
      stopping = true;
      // Held again while it stops, or a process with nothing else left would exit mid-await.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
