/**
 * `fn` over `items`, at most `size` at a time, results in the order of `items`: for work that
 * must not flood a shared resource (counting many rounds at once on one database).
 */
export async function mapInBatches<T, R>(
  items: readonly T[],
  size: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(fn))));
  }
  return results;
}
