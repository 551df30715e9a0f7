// Load benchmark: `npm run bench`. In one run, on loopback only, measures with autocannon a bare
// node:http hello-world (what this machine can do at all) and Teamlens's busiest paths: the
// respondent page, a submission, a team report and the dashboard. Prints requests/s, p50/p99
// latency, errors and the server's peak RSS, each throughput as a ratio to the bare baseline.
// The servers (and the embedded database) run on one core, autocannon on the other (taskset).
//   BENCH_SECONDS per case (default 10), BENCH_CONNECTIONS (default 50), MONGODB_URI optional.
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { loadBuiltinDefinitions } from '../src/features/questionnaires/questionnaire.content';
import { CONTENT_DIR, ROOT } from '../src/paths';
import { startEmbeddedDatabase } from '../src/shared/db/embedded-server';
import { createLogger } from '../src/shared/logging';
import { sessionCookie } from '../scripts/support/local-app';

/** Answers in each round whose report is measured. */
const REPORT_RESPONSES = 50;
/** The item ids of the built-in "Tensions in how we work", read from its file. */
const TENSION_ITEMS = loadBuiltinDefinitions(path.join(CONTENT_DIR, 'questionnaires'))
  .find((d) => d.slug === 'tensions-in-how-we-work')!
  .sections.flatMap((s) => s.items.map((i) => i.id));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SERVER_CORE = String(Math.min(1, os.availableParallelism() - 1));
const LOAD_CORE = '0';

/** Runs `args` pinned to `core` when taskset is there (Linux); unpinned otherwise. */
function pinned(core: string, args: string[]): [string, string[]] {
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  return hasTaskset ? ['taskset', ['-c', core, ...args]] : [args[0]!, args.slice(1)];
}

/** Starts a server process pinned to the server core; with `portOf`, waits for the line that gives its port. */
async function startProcess(
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

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls /readyz (at most 30 s): the server logs nothing at LOG_LEVEL=warn. */
async function waitUntilReady(origin: string): Promise<void> {
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
async function peakRssMb(pid: number | undefined): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

type Row = {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  rssMb: number | null;
};

async function measure(
  label: string,
  options: autocannon.Options,
  pid: number | undefined,
): Promise<Row> {
  // One request first, waited for however long it takes: the server has worked off what the
  // previous case left queued (in the database above all), and this path is warm.
  await fetch(String(options.url), {
    headers: options.headers as Record<string, string> | undefined,
    signal: AbortSignal.timeout(120_000),
  }).then((res) => res.arrayBuffer());
  const result = await autocannon({
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 30,
    ...options,
  });
  const row = {
    label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    rssMb: await peakRssMb(pid),
  };
  process.stderr.write(
    `measured: ${JSON.stringify({ ...row, timeouts: result.timeouts, non2xx: result.non2xx, statuses: result.statusCodeStats })}\n`,
  );
  return row;
}

/** A different client address per request, so per-address rate limits see a crowd, not one host. */
const crowd = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function main(): Promise<void> {
  // The embedded database is started while this process runs on the server's core, so it
  // inherits that core; then this process (autocannon) moves to the other one.
  spawnSync('taskset', ['-pc', SERVER_CORE, String(process.pid)]);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-load-'));
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({
        dataDir,
        kind: 'ferretdb',
        logger: createLogger({ level: 'warn' }),
      });
  spawnSync('taskset', ['-pc', LOAD_CORE, String(process.pid)]);
  const rows: Row[] = [];

  const bare = await startProcess(
    [
      process.execPath,
      '-e',
      "const s=require('node:http').createServer((q,r)=>r.end('hello')).listen(0,'127.0.0.1',()=>console.log(s.address().port))",
    ],
    {},
    (line) => Number(line) || null,
  );
  await measure(
    'warm-up (not reported)',
    { url: `http://127.0.0.1:${bare.port}/`, duration: 2 },
    bare.child.pid,
  );
  rows.push(
    await measure(
      'bare node:http hello-world',
      { url: `http://127.0.0.1:${bare.port}/` },
      bare.child.pid,
    ),
  );
  bare.child.kill('SIGTERM');

  const uri = process.env.MONGODB_URI ?? `${embedded!.uri}`;
  const databaseUri = `${uri.replace(/\/?$/, '/')}load_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const teamlens = await startProcess([process.execPath, path.join(ROOT, 'dist', 'server.js')], {
    MONGODB_URI: databaseUri,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // autocannon connects directly: its X-Forwarded-For is the one hop believed.
    TRUST_PROXY: '1',
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
  });
  // Quiet logs (LOG_LEVEL=warn, as logging every request would be measured too): wait for
  // readiness instead of the "listening" line.
  await waitUntilReady(`http://127.0.0.1:${port}`);
  const origin = `http://127.0.0.1:${port}`;
  try {
    const setup = await prepare(origin);
    const pid = teamlens.child.pid;
    await measure('warm-up (not reported)', { url: `${origin}/r/${setup.link}`, duration: 2 }, pid);
    rows.push(
      await measure('respondent page GET /r/<link>', { url: `${origin}/r/${setup.link}` }, pid),
    );
    rows.push(
      await measure(
        'submission POST /api/v1/r/<link>',
        {
          url: `${origin}/api/v1/r/${setup.link}`,
          requests: [
            {
              method: 'POST',
              setupRequest: (req) => ({
                ...req,
                headers: {
                  ...req.headers,
                  'content-type': 'application/json',
                  'x-forwarded-for': crowd(),
                },
                body: setup.answerBody(),
              }),
            },
          ],
        },
        pid,
      ),
    );
    rows.push(
      await measure(
        `team report page (the round above: ${REPORT_RESPONSES} answers + the submissions)`,
        { url: `${origin}/reports/rounds/${setup.roundId}`, headers: { cookie: setup.cookie } },
        pid,
      ),
    );
    rows.push(
      await measure(
        'dashboard page',
        { url: `${origin}/dashboard`, headers: { cookie: setup.cookie } },
        pid,
      ),
    );
  } finally {
    teamlens.child.kill('SIGTERM');
    await new Promise((resolve) => teamlens.child.once('exit', resolve));
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const baseline = rows[0]!.rps;
  const lines = [
    `Load benchmark: ${CONNECTIONS} connections, ${SECONDS} s per case, server on core ${SERVER_CORE}, autocannon on core ${LOAD_CORE}, ${embedded ? embedded.description : 'MONGODB_URI'}`,
    '',
    '| case | requests/s | ratio to bare | p50 ms | p99 ms | errors | server peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.rps.toFixed(0)} | ${((r.rps / baseline) * 100).toFixed(1)} % | ${r.p50} | ${r.p99} | ${r.errors} | ${r.rssMb?.toFixed(0) ?? 'n/a'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * A coach with a session cookie, the demo data (for the dashboard), and an open round of the
 * built-in tensions questionnaire with REPORT_RESPONSES answers.
 */
async function prepare(origin: string) {
  const api = async <T>(method: string, p: string, body?: unknown, token?: string): Promise<T> => {
    const res = await fetch(`${origin}/api/v1${p}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': crowd(),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const email = `load-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'load bench password';
  const { token } = await api<{ token: string }>('POST', '/auth/signup', {
    name: 'Load',
    email,
    password,
    workspaceName: 'Load',
  });
  await api('POST', '/demo', undefined, token);
  const team = await api<{ id: string }>('POST', '/teams', { name: 'Load team' }, token);
  const answerBody = () =>
    JSON.stringify({
      answers: TENSION_ITEMS.map((itemId) => ({ itemId, value: 1 + (randomBytes(1)[0]! % 7) })),
    });
  const answeredRound = async (title: string) => {
    const round = await api<{ id: string; link: { token: string } }>(
      'POST',
      '/rounds',
      { teamId: team.id, questionnaire: { slug: 'tensions-in-how-we-work' }, title },
      token,
    );
    await api('POST', `/rounds/${round.id}/open`, undefined, token);
    for (let i = 0; i < REPORT_RESPONSES; i += 1) {
      await api('POST', `/r/${round.link.token}`, JSON.parse(answerBody()));
    }
    return round;
  };
  const open = await answeredRound('Open');

  const cookie = await sessionCookie(origin, { email, password });

  return {
    link: open.link.token,
    answerBody,
    roundId: open.id,
    cookie,
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
