/**
 * Runs `task` at most once per `intervalMs`, in the background, when `poke()` is called. Used
 * for cleanups that ride on ordinary traffic instead of timers: no background work to stop in
 * tests or at shutdown, and every instance of the app takes its share. Failures are reported
 * to `onError` and retried on a later poke.
 */
export function everyAtMost(
  intervalMs: number,
  clock: () => Date,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
): { poke: () => void } {
  let last = Number.NEGATIVE_INFINITY;
  let running = false;
  return {
    poke: () => {
      const now = clock().getTime();
      if (running || now - last < intervalMs) return;
      running = true;
      last = now;
      task()
        .catch(onError)
        .finally(() => {
          running = false;
        });
    },
  };
}
