import net from 'node:net';

/** A loopback port that was free a moment ago (the OS picks it; we close it again). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/**
 * Polls `check` until it returns true, every 100 ms, for at most `timeoutMs`. For waiting on
 * something another process does (a reconnect), never for covering a race in our own code.
 */
export async function waitFor(
  check: () => Promise<boolean>,
  { timeoutMs = 20000, what = 'condition' }: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
