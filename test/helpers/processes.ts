import { fileURLToPath } from "node:url";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_ENCRYPTION_KEY } from "./constants";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

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

/** Environment for a server or worker process on its own, fresh SQLite file. */
export function processEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(tmpdir(), "privacy-desk-proc-"));
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: TEST_APP_URL,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    DATABASE_URL: `file:${path.join(dir, "app.sqlite")}`,
    HOST: "127.0.0.1",
    CHECKPOINT_DISABLE: "1",
    LOG_LEVEL: "silent",
    ...overrides,
  };
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A worker process, started as `npm run worker` starts it: one node process with tsx as a loader
 * (not the tsx CLI, which runs the script in a child), so signals reach the worker itself.
 */
export function startWorker(env: NodeJS.ProcessEnv): RunningProcess {
  return startProcess(process.execPath, ["--import", "tsx", "server/worker-main.ts"], env);
}

/**
 * Starts what `npm start` runs (migrations, then the built server) and waits until /healthz
 * answers. One node process with tsx as a loader, as npm start runs it: the tsx CLI would run the
 * app in a child and SIGKILL it when it is too busy to confirm a SIGTERM within 30 ms.
 */
export async function startServer(overrides: Record<string, string> = {}) {
  const port = await freePort();
  const env = processEnv({ PORT: String(port), ...overrides });
  const server = startProcess(process.execPath, ["--import", "tsx", "server/start.ts"], env);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${baseUrl}/healthz`)).ok, 30_000, `the server on ${baseUrl}`);
  } catch (error) {
    await server.stop("SIGKILL");
    throw new Error(`${(error as Error).message}\n${server.output()}`);
  }
  return { ...server, baseUrl, env };
}
