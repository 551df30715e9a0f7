import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { ROOT } from '../../src/paths';

type LogLine = { msg?: string; [key: string]: unknown };

export type ServerProcess = Readonly<{
  port: number;
  baseUrl: string;
  logs: readonly LogLine[];
  /** Resolves with the first log line whose message matches. */
  waitForLog: (pattern: RegExp) => Promise<LogLine>;
  /** Sends a signal and resolves with the exit code once the process has ended. */
  kill: (signal: NodeJS.Signals) => Promise<number | null>;
  /** The process's stderr and last log lines, to make a failed assertion explain itself. */
  diagnostics: () => string;
}>;

/** Variables of the outer environment that must not leak into the server under test. */
const ISOLATED_KEYS = ['MONGODB_URI', 'PORT', 'HOST', 'DATA_DIR', 'EMBEDDED_DB', 'LOG_LEVEL'];

/**
 * Runs `src/server.ts` as a real process (through tsx, so no build is needed) on a free port,
 * and resolves once it listens. Its JSON log lines are collected for assertions.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !ISOLATED_KEYS.includes(key)),
  );
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'src', 'server.ts')],
    {
      cwd: ROOT,
      env: { ...base, PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const logs: LogLine[] = [];
  const waiters: { pattern: RegExp; resolve: (line: LogLine) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text };
    }
    logs.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line.msg ?? ''))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });

  const waitForLog = (pattern: RegExp) =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = logs.find((line) => pattern.test(line.msg ?? ''));
      if (seen) return resolve(seen);
      waiters.push({ pattern, resolve });
      void exited.then(([code]) =>
        reject(new Error(`server exited (${String(code)}) before logging ${pattern}: ${stderr}`)),
      );
    });

  const listening = await waitForLog(/^Teamlens listening/);
  const port = Number(listening.port);
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    waitForLog,
    diagnostics: () =>
      [stderr.trim(), ...logs.slice(-10).map((line) => JSON.stringify(line))].join('\n'),
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}
