import http from 'node:http';

export type StreamEvent = Readonly<{ id: string | null; event: string; data: unknown }>;

/**
 * A Server-Sent Events client as EventSource is one (loopback only): it parses the stream into
 * events and comments, and a test waits for the next one, bounded in time.
 */
export function openEvents(
  url: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  next: (timeoutMs?: number) => Promise<StreamEvent>;
  comments: () => readonly string[];
  /** What the server's last `retry:` line asked a client to wait before reconnecting, ms. */
  retryMs: () => number | null;
  received: () => readonly StreamEvent[];
  closed: () => Promise<void>;
  close: () => void;
}> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const events: StreamEvent[] = [];
      const comments: string[] = [];
      let retryMs: number | null = null;
      let read = 0;
      let waiting: (() => void) | null = null;
      let buffer = '';
      let ended = false;
      const endedPromise = new Promise<void>((done) => res.on('close', done));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let id: string | null = null;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('retry: ')) retryMs = Number(line.slice(7));
            else if (line.startsWith('id: ')) id = line.slice(4);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) events.push({ id, event, data: JSON.parse(data.join('\n')) });
        }
        waiting?.();
      });
      res.on('close', () => {
        ended = true;
        waiting?.();
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        received: () => events,
        comments: () => comments,
        retryMs: () => retryMs,
        closed: () => endedPromise,
        close: () => req.destroy(),
        async next(timeoutMs = 5000) {
          const deadline = Date.now() + timeoutMs;
          while (read >= events.length) {
            if (ended) throw new Error('the stream ended');
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
            await new Promise<void>((wake) => {
              const timer = setTimeout(wake, left);
              waiting = () => {
                clearTimeout(timer);
                wake();
              };
            });
            waiting = null;
          }
          return events[read++]!;
        },
      });
    });
    req.on('error', reject);
  });
}
