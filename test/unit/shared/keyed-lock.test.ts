import { createKeyedLock } from '../../../src/shared/keyed-lock';

/** A promise and the function that settles it, to hold a task in place. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createKeyedLock', () => {
  it('runs the tasks of one key one after another, in order', async () => {
    const lock = createKeyedLock();
    const gate = deferred();
    const events: string[] = [];

    const first = lock.run('round', async () => {
      events.push('first starts');
      await gate.promise;
      events.push('first ends');
    });
    const second = lock.run('round', () => {
      events.push('second starts');
      return Promise.resolve();
    });
    await Promise.resolve();
    gate.resolve();
    await Promise.all([first, second]);

    expect(events).toEqual(['first starts', 'first ends', 'second starts']);
  });

  it('runs tasks of different keys at the same time', async () => {
    const lock = createKeyedLock();
    const gate = deferred();
    let otherRan = false;

    const held = lock.run('a', () => gate.promise);
    await lock.run('b', () => {
      otherRan = true;
      return Promise.resolve();
    });
    gate.resolve();
    await held;

    expect(otherRan).toBe(true);
  });

  it('goes on after a failed task, which still rejects for its caller', async () => {
    const lock = createKeyedLock();

    const failed = lock.run('round', () => Promise.reject(new Error('database gone')));
    const next = lock.run('round', () => Promise.resolve('stored'));

    await expect(failed).rejects.toThrow('database gone');
    await expect(next).resolves.toBe('stored');
  });

  it('forgets a key once its last task is done', async () => {
    const lock = createKeyedLock();

    await Promise.all(
      Array.from({ length: 20 }, (_, i) => lock.run(`round-${i % 4}`, () => Promise.resolve())),
    );
    await new Promise((r) => setImmediate(r));

    expect(lock.size).toBe(0);
  });

  describe('with a limit on waiting', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());
    const wait = { ms: 1000, error: () => new Error('round busy') };

    it('gives up on a task that could not start in time, and never runs it', async () => {
      const lock = createKeyedLock();
      const gate = deferred();
      const ran: string[] = [];
      const held = lock.run('round', () => gate.promise);

      const waiting = lock.run(
        'round',
        () => {
          ran.push('late');
          return Promise.resolve();
        },
        wait,
      );
      const rejected = expect(waiting).rejects.toThrow('round busy');
      await jest.advanceTimersByTimeAsync(1000);
      await rejected;
      gate.resolve();
      await held;
      await lock.run('round', () => {
        ran.push('next');
        return Promise.resolve();
      });

      expect(ran).toEqual(['next']);
    });

    it('runs a task that starts in time to its end, however long it takes', async () => {
      const lock = createKeyedLock();
      const gate = deferred();

      const running = lock.run('round', () => gate.promise.then(() => 'stored'), wait);
      await jest.advanceTimersByTimeAsync(5000);
      gate.resolve();

      await expect(running).resolves.toBe('stored');
    });
  });
});
