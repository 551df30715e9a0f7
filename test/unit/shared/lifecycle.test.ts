import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLifecycle } from '../../../src/shared/lifecycle';

/** A server on loopback whose handler the test drives, tracking every request. */
async function serverWith(handler: (res: http.ServerResponse) => void) {
  const lifecycle = createLifecycle();
  const server = http.createServer((_req, res) => {
    lifecycle.track(res);
    handler(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { lifecycle, server, port };
}

/** Sends a request, waits until the server has it, then leaves without reading the answer. */
async function requestAndLeave(port: number, received: Promise<void>): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  await received;
  socket.destroy();
}

/** Resolves when the server side of the next connection has closed. */
function closeOfNextConnection(server: http.Server): Promise<void> {
  return new Promise((resolve) =>
    server.once('connection', (socket) => socket.once('close', () => resolve())),
  );
}

const settledNow = async (lifecycle: ReturnType<typeof createLifecycle>) => {
  let settled = false;
  void lifecycle.settled().then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
};

describe('lifecycle.settled', () => {
  it('resolves at once when no request is being handled', async () => {
    expect(await settledNow(createLifecycle())).toBe(true);
  });

  it('waits for a handler whose client has left, until it ends the response', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    let answer!: () => void;
    const { lifecycle, server, port } = await serverWith((res) => {
      arrived();
      answer = () => res.end('stored');
    });
    try {
      const left = closeOfNextConnection(server);
      await requestAndLeave(port, received);
      await left;

      const whileAtWork = await settledNow(lifecycle);
      answer();

      expect(whileAtWork).toBe(false);
      expect(await settledNow(lifecycle)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('does not wait for a response that was cut off while being sent', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const { lifecycle, server, port } = await serverWith((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('the first part of a long download');
      arrived();
    });
    try {
      const cut = closeOfNextConnection(server);
      await requestAndLeave(port, received);
      await cut;

      expect(await settledNow(lifecycle)).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('lifecycle.beginShutdown', () => {
  it('makes an answer already in flight close its keep-alive connection', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    let answer!: () => void;
    const { lifecycle, server, port } = await serverWith((res) => {
      arrived();
      answer = () => res.end('done');
    });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const response = new Promise<http.IncomingMessage>((resolve, reject) =>
        http.get({ port, host: '127.0.0.1', agent }, resolve).on('error', reject),
      );
      await received;

      lifecycle.beginShutdown();
      answer();

      const res = await response;
      res.resume();
      expect(res.headers.connection).toBe('close');
    } finally {
      agent.destroy();
      server.close();
    }
  });
});

describe('lifecycle.onShutdown', () => {
  it('tells each listener once shutdown begins, not before', () => {
    const lifecycle = createLifecycle();
    const told: string[] = [];
    lifecycle.onShutdown(() => told.push('streams'));
    lifecycle.onShutdown(() => told.push('others'));

    expect(told).toEqual([]);
    lifecycle.beginShutdown();

    expect(told).toEqual(['streams', 'others']);
  });
});
