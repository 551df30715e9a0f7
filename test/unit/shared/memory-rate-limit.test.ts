import { TooManyRequestsError } from '../../../src/shared/errors';
import { createMemoryRateLimiter } from '../../../src/shared/memory-rate-limit';

describe('createMemoryRateLimiter', () => {
  let now = 0;
  const clock = () => new Date(now);
  beforeEach(() => {
    now = 0;
  });

  it('allows max hits per key and window, then 429 with the seconds left in the window', () => {
    const limits = createMemoryRateLimiter({ clock });
    for (let i = 0; i < 3; i += 1) limits.enforce('a', 3, 60_000);
    now = 15_000;

    let refused: unknown;
    try {
      limits.enforce('a', 3, 60_000, 'Slow down');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({ retryAfterSeconds: 45, message: 'Slow down' });
    expect(() => limits.enforce('b', 3, 60_000)).not.toThrow();
  });

  it('starts again in the next window', () => {
    const limits = createMemoryRateLimiter({ clock });
    for (let i = 0; i < 3; i += 1) limits.enforce('a', 3, 60_000);
    now = 60_000;
    expect(() => limits.enforce('a', 3, 60_000)).not.toThrow();
  });

  it('keeps at most maxKeys keys, forgetting the oldest', () => {
    const limits = createMemoryRateLimiter({ clock, maxKeys: 2 });
    limits.enforce('a', 1, 60_000);
    limits.enforce('b', 1, 60_000);
    limits.enforce('c', 1, 60_000);

    expect(() => limits.enforce('a', 1, 60_000)).not.toThrow();
    expect(() => limits.enforce('c', 1, 60_000)).toThrow(TooManyRequestsError);
  });
});
