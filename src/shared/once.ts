/**
 * Runs `task` once and shares its promise (and its result); after a failure the next call tries
 * again. For what needs the database once (indexes, built-in data, what the server can do): a
 * database that was down at start is asked as soon as it answers.
 */
export function onceUntilSuccess<T>(task: () => Promise<T>): () => Promise<T> {
  let done: Promise<T> | undefined;
  return () =>
    (done ??= task().catch((err: unknown) => {
      done = undefined;
      throw err;
    }));
}
