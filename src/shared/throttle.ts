/**
 * Runs `task` at most once per `intervalMs`, in the background, when `poke()` is called. Used
 * for cleanups that ride on ordinary traffic instead of timers: no background work to stop in
 * tests or at shutdown, and every instance of the app takes its share. A failure is reported to
 * `onError` and the next poke tries again (the interval counts from the last success).
 */
export function everyAtMost(
  intervalMs: number,
  clock: () => Date,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
): { poke: () => Promise<void> } {
  let lastSuccess = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  return {
    /** Starts the task if it is due; the promise settles when that run ends (tests await it). */
    poke: () => {
      const now = clock().getTime();
      if (running || now - lastSuccess < intervalMs) return running ?? Promise.resolve();
      running = task()
        .then(() => {
          lastSuccess = now;
        }, onError)
        .finally(() => {
          running = undefined;
        });
      return running;
    },
  };
}
