import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { FERRETDB_LAUNCHER_DIR, ROOT } from '../../paths';
import type { Logger } from '../logging';

/** Where the built launcher lives: beside the other build caches, removed with node_modules. */
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'teamlens');
const SOURCES = ['go.mod', 'go.sum', 'main.go'] as const;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export class EmbeddedDatabaseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedDatabaseError';
  }
}

/**
 * Builds the Go launcher once per source version and returns the binary's path. The file name
 * carries a hash of the sources, so an edited launcher is rebuilt and a stale one never runs.
 * The build writes to a temporary name and renames, so two starts at once cannot see half a file.
 */
export async function ensureFerretDbLauncher(logger: Logger): Promise<string> {
  const hash = createHash('sha256');
  for (const name of SOURCES)
    hash.update(await fs.readFile(path.join(FERRETDB_LAUNCHER_DIR, name)));
  const binary = path.join(CACHE_DIR, `ferretdb-launcher-${hash.digest('hex').slice(0, 16)}`);
  try {
    await fs.access(binary, fs.constants.X_OK);
    return binary;
  } catch {
    // not built yet: fall through
  }
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  logger.info(
    { binary },
    'building the FerretDB launcher with Go (first start only; takes a minute or two)',
  );
  const started = Date.now();
  // GOTOOLCHAIN=local: build with the machine's Go, never download another toolchain.
  // -mod=readonly: the committed go.sum is the truth; a mismatch fails instead of drifting.
  const result = await run('go', ['build', '-trimpath', '-o', temporary, '.'], {
    cwd: FERRETDB_LAUNCHER_DIR,
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
  });
  if (result.code !== 0) {
    await fs.rm(temporary, { force: true });
    throw new EmbeddedDatabaseError(
      `Building the FerretDB launcher failed (go build exited with ${String(result.code)}):\n${result.output.slice(-2000)}`,
    );
  }
  await fs.rename(temporary, binary);
  logger.info(
    { binary, seconds: Math.round((Date.now() - started) / 1000) },
    'FerretDB launcher built',
  );
  return binary;
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new EmbeddedDatabaseError(`"${command}" was not found on PATH`, { cause: err })
          : err,
      ),
    );
    child.on('close', (code) => resolve({ code, output }));
  });
}

export type FerretDbProcess = Readonly<{
  uri: string;
  pid: number;
  /** Resolves with the exit code (null after a signal) whenever the process ends, for any reason. */
  exited: Promise<number | null>;
  /** Resolves with the exit code once the process has stopped; SIGKILL after a timeout. */
  stop: () => Promise<number | null>;
}>;

/**
 * Starts the launcher on 127.0.0.1 (a given port, or a free one) with its SQLite files in
 * `dataDir`, and resolves once it accepts connections.
 */
export async function startFerretDb(options: {
  binary: string;
  dataDir: string;
  port?: number;
}): Promise<FerretDbProcess> {
  await fs.mkdir(options.dataDir, { recursive: true });
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    options.binary,
    ['-listen', `127.0.0.1:${options.port ?? 0}`, '-data', options.dataDir, '-watch-stdin'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmbeddedDatabaseError(`FerretDB did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^READY (\S+)$/.exec(line);
      if (!match?.[1]) return;
      clearTimeout(timer);
      lines.close();
      resolve(match[1]);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(
        new EmbeddedDatabaseError(
          `FerretDB exited with code ${String(code)} at start: ${stderr.trim()}`,
        ),
      );
    });
  });

  return {
    uri,
    pid: child.pid ?? -1,
    exited: exited.then(([code]) => code),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.kill('SIGTERM');
      const [code] = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
