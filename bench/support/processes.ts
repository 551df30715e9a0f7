// What the load and soak benchmarks share: processes pinned to one core, a free port, readiness
// and memory readings from /proc (Linux).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { startEmbeddedDatabase } from '../../src/shared/db/embedded-server';
import { createLogger } from '../../src/shared/logging';
import { ROOT } from '../../src/paths';

export const SERVER_CORE = String(Math.min(1, os.availableParallelism() - 1));
export const LOAD_CORE = '0';

/** Runs `args` pinned to `core` when taskset is there (Linux); unpinned otherwise. */
export function pinned(core: string, args: string[]): [string, string[]] {
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  return hasTaskset ? ['taskset', ['-c', core, ...args]] : [args[0]!, args.slice(1)];
}

/** Starts a server process pinned to the server core; with `portOf`, waits for the line that gives its port. */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  portOf?: (line: string) => number | null,
): Promise<{ child: ChildProcess; port: number | null }> {
  const [command, rest] = pinned(SERVER_CORE, args);
  const child = spawn(command, rest, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (!portOf) return { child, port: null };
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const found = portOf(line);
      if (found) resolve(found);
    });
  });
  return { child, port };
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls /readyz (at most 30 s): the server logs nothing at LOG_LEVEL=warn. */
export async function waitUntilReady(origin: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${origin}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Teamlens at ${origin} did not become ready`);
}

/** The peak resident memory of a process so far (Linux), in MB; null elsewhere. */
export async function peakRssMb(pid: number | undefined): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** The resident memory of a process now (Linux), in MB; null elsewhere. */
export async function rssMb(pid: number | undefined): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts the built server (`dist/server.js`) on the server core against `databaseUri`, with
 * quiet logs (logging every request would be measured too), and waits until it is ready.
 */
export async function startTeamlens(
  databaseUri: string,
  dataDir: string,
): Promise<{ child: ChildProcess; origin: string }> {
  const port = await freePort();
  const { child } = await startProcess([process.execPath, path.join(ROOT, 'dist', 'server.js')], {
    MONGODB_URI: databaseUri,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // The load tools connect directly: their X-Forwarded-For is the one hop believed.
    TRUST_PROXY: '1',
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
  });
  const origin = `http://127.0.0.1:${port}`;
  // LOG_LEVEL=warn prints no "listening" line: readiness is the sign.
  await waitUntilReady(origin);
  return { child, origin };
}

/** The CPU a process has used so far (Linux /proc), in ms; null elsewhere or without a process. */
export async function cpuMsOf(pid: number | null | undefined): Promise<number | null> {
  if (pid === null || pid === undefined) return null;
  try {
    // Fields 14 and 15 (utime, stime) in clock ticks, after the command name in parentheses.
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
/** Linux's USER_HZ, which /proc/<pid>/stat counts in. */
const TICKS_PER_SECOND = 100;

/**
 * The embedded database (none with MONGODB_URI), started while this process runs on the
 * server's core, so it inherits that core; then this process (the load) moves to the other one.
 */
export async function startDatabaseOnServerCore(dataDir: string) {
  spawnSync('taskset', ['-pc', SERVER_CORE, String(process.pid)]);
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({
        dataDir,
        kind: 'ferretdb',
        logger: createLogger({ level: 'warn' }),
      });
  spawnSync('taskset', ['-pc', LOAD_CORE, String(process.pid)]);
  return embedded;
}
