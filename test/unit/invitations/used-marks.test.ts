import { createUsedMarks } from '../../../src/features/invitations/used-marks';

const MINUTE = 60_000;

/** Marks with a clock the test moves, writing into a list the test reads. */
function marksUnderTest(options: { failWrites?: boolean } = {}) {
  let now = Date.UTC(2026, 11, 6, 9);
  const written: { roundId: string; ids: readonly string[] }[] = [];
  const errors: unknown[] = [];
  const marks = createUsedMarks({
    waitMs: 15 * MINUTE,
    batch: 3,
    maxWaitMs: 24 * 60 * MINUTE,
    clock: () => new Date(now),
    random: () => 0,
    write: (roundId, ids) => {
      if (options.failWrites) return Promise.reject(new Error('database away'));
      written.push({ roundId, ids });
      return Promise.resolve();
    },
    onError: (err) => errors.push(err),
  });
  return { marks, written, errors, pass: (ms: number) => (now += ms) };
}

describe('createUsedMarks', () => {
  it('holds a round’s marks until the oldest has waited 15 minutes and there are three', async () => {
    const { marks, written, pass } = marksUnderTest();
    marks.add('r1', 'a');
    marks.add('r1', 'b');
    pass(15 * MINUTE);
    await marks.writeDue();
    expect(written).toEqual([]);

    marks.add('r1', 'c');
    await marks.writeDue();

    expect(written).toHaveLength(1);
    expect([...written[0]!.ids].sort()).toEqual(['a', 'b', 'c']);
    expect(marks.of('r1').size).toBe(0);
  });

  it('writes fewer than three only after a day', async () => {
    const { marks, written, pass } = marksUnderTest();
    marks.add('r1', 'a');
    pass(24 * 60 * MINUTE - 1);
    await marks.writeDue();
    expect(written).toEqual([]);

    pass(1);
    await marks.writeDue();

    expect(written).toEqual([{ roundId: 'r1', ids: ['a'] }]);
  });

  it('writes a batch in an order that is not the order of the answers', async () => {
    const { marks, written, pass } = marksUnderTest();
    for (const id of ['a', 'b', 'c', 'd']) marks.add('r1', id);
    pass(15 * MINUTE);

    await marks.writeDue();

    // Fisher–Yates with random() = 0 moves the first to the end: a known shuffle.
    expect(written[0]!.ids).toEqual(['b', 'c', 'd', 'a']);
  });

  it('keeps each round apart, and a mark given twice once', async () => {
    const { marks, written, pass } = marksUnderTest();
    marks.add('r1', 'a');
    marks.add('r1', 'a');
    for (const id of ['x', 'y', 'z']) marks.add('r2', id);
    pass(15 * MINUTE);

    await marks.writeDue();

    expect(written.map((w) => w.roundId)).toEqual(['r2']);
    expect([...marks.of('r1')]).toEqual(['a']);
  });

  it('keeps marks whose write failed, with those added meanwhile, for the next try', async () => {
    const { marks, pass } = marksUnderTest({ failWrites: true });
    for (const id of ['a', 'b', 'c']) marks.add('r1', id);
    pass(15 * MINUTE);

    await expect(marks.writeDue()).rejects.toThrow('database away');

    expect([...marks.of('r1')].sort()).toEqual(['a', 'b', 'c']);
  });

  it('writes everything at shutdown, due or not', async () => {
    const { marks, written } = marksUnderTest();
    marks.add('r1', 'a');
    marks.add('r2', 'b');

    await marks.writeAll();

    expect(written.map((w) => w.roundId).sort()).toEqual(['r1', 'r2']);
    expect(marks.of('r1').size + marks.of('r2').size).toBe(0);
  });
});
