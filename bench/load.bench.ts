// Load benchmark: `npm run bench`. In one run, on loopback only, measures with autocannon a bare
// node:http hello-world (what this machine can do at all) and Teamlens's busiest paths: the
// respondent page, a submission, a team report and the dashboard. Prints requests/s, p50/p99
// latency, errors and the server's peak RSS, each throughput as a ratio to the bare baseline.
// The servers (and the embedded database) run on one core, autocannon on the other (taskset).
//   BENCH_SECONDS per case (default 10), BENCH_CONNECTIONS (default 50), MONGODB_URI optional.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../src/shared/db/embedded-server';
import { createLogger } from '../src/shared/logging';
import { crowd, prepare } from './support/coach';
import {
  LOAD_CORE,
  peakRssMb,
  SERVER_CORE,
  startProcess,
  startTeamlens,
} from './support/processes';

/** Answers in each round whose report is measured. */
const REPORT_RESPONSES = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
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
  const teamlens = await startTeamlens(databaseUri, dataDir);
  const { origin } = teamlens;
  try {
    const setup = await prepare(origin, REPORT_RESPONSES);
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

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
