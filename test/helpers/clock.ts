/** A clock the test moves by hand. */
export function manualClock(start = new Date("2026-03-01T10:00:00.000Z")) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}
