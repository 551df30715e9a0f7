import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from '../../src/paths';

export type ReceivedMail = Readonly<{
  to: string;
  from: string;
  /** The Reply-To header as text (`"Name" <address>`), or '' without one. */
  replyTo: string;
  subject: string;
  text: string;
  envelopeTo: readonly string[];
  smtpUtf8: boolean;
}>;

export type SmtpServer = Readonly<{
  port: number;
  url: string;
  /** Every message received so far, in order. */
  received: readonly ReceivedMail[];
  /** Resolves once `count` messages in all have been received. */
  waitForMessages: (count: number) => Promise<ReceivedMail[]>;
  stop: () => Promise<void>;
}>;

/**
 * Starts test/support/smtp-server-process.ts (a real SMTP server, `smtp-server` from npm) on
 * loopback and reads what it receives. `reject`: addresses it refuses with 550.
 */
export async function startSmtpServer(
  options: { port?: number; reject?: readonly string[] } = {},
): Promise<SmtpServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'smtp-server-process.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SMTP_PORT: String(options.port ?? 0),
        SMTP_REJECT: (options.reject ?? []).join(','),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const received: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let resolvePort: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (resolvePort = resolve));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('listening ')) return resolvePort(Number(line.slice(10)));
    received.push(JSON.parse(line) as ReceivedMail);
    for (const waiter of waiters.filter((w) => received.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  const port = await Promise.race([
    listening,
    once(child, 'exit').then(() => {
      throw new Error('the SMTP server exited before listening');
    }),
  ]);
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitForMessages: (count) =>
      new Promise((resolve) => {
        const done = () => resolve([...received]);
        if (received.length >= count) done();
        else waiters.push({ count, resolve: done });
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
