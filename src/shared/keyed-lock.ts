/**
 * Runs tasks one at a time per key, within this process; tasks under different keys run
 * concurrently. For read-modify-write sequences that the database does not make atomic by
 * itself (FerretDB 1.x applies `$inc` and conditional updates without isolation: see README,
 * "FerretDB compatibility"). Across processes it guarantees nothing.
 */
export function createKeyedLock() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      // The last task of a key removes the key, so the map holds only keys with work queued.
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    /** Keys with a task queued or running (for tests: the map must not grow without bound). */
    get size(): number {
      return tails.size;
    },
  };
}

export type KeyedLock = ReturnType<typeof createKeyedLock>;
