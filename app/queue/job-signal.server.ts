/**
 * News, within this process, that a job due now has been committed to the queue: a worker idle in
 * this process claims it at once instead of at its next poll (up to idleMs later). Workers in other
 * processes hear nothing and find the job at their next poll (ADR 005).
 */
type Listener = () => void;

// From the global registry: the server (server/), which runs the worker, and the Remix build, whose
// routes queue most jobs, are separate module graphs in one process.
const LISTENERS = Symbol.for("privacy-desk.job-signal");
const listeners = ((globalThis as Record<symbol, unknown>)[LISTENERS] ??=
  new Set<Listener>()) as Set<Listener>;

/** Tells this process's workers that a job is waiting. Call it once the job's transaction has committed. */
export function announceQueuedJobs(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever a job is announced; returns the function that stops it. */
export function onQueuedJobs(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
