import { mapInBatches } from '../../../src/shared/batches';

describe('mapInBatches', () => {
  it('keeps the order of the items and never runs more than `size` at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapInBatches([5, 1, 4, 2, 3, 6, 7], 3, async (n) => {
      running += 1;
      most = Math.max(most, running);
      // A turn of the event loop, so that the calls of a batch overlap.
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 60, 70]);
    expect(most).toBe(3);
  });

  it('makes no call for no items', async () => {
    const fn = jest.fn();
    expect(await mapInBatches([], 4, fn)).toEqual([]);
    expect(fn).not.toHaveBeenCalled();
  });
});
