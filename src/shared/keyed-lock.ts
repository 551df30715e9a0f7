/**
 * Runs tasks one at a time per key, within this process; tasks under different keys run
 * concurrently. For read-modify-write sequences that the database does not make atomic by
 * itself (FerretDB 1.x applies `$inc` and conditional updates without isolation: see README,
 * "FerretDB compatibility"). Across processes it guarantees nothing.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    /**
     * Runs `task` once the tasks queued before it under `key` are done. With `wait`, a task
     * that could not start within `wait.ms` is dropped and its caller gets `wait.error()`:
     * when the database slows down, a queue must not grow into minutes of waiting.
     */
    run<T>(
      key: string,
      task: () => Promise<T>,
      wait?: { ms: number; error: () => Error },
    ): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      let gaveUp = false;
      let timer: NodeJS.Timeout | undefined;
      const start = (): Promise<T | undefined> => {
        clearTimeout(timer);
        return gaveUp ? Promise.resolve(undefined) : task();
      };
      const result = previous.then(start, start);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      // The last task of a key removes the key, so the map holds only keys with work queued.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      if (!wait) return result as Promise<T>;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          gaveUp = true;
          reject(wait.error());
        }, wait.ms);
      });
      return Promise.race([result as Promise<T>, timedOut]);
    },
    /** Keys with a task queued or running (for tests: the map must not grow without bound). */
    get size(): number {
      return tails.size;
    },
  };
}
