// Load benchmark: `npm run bench`. In one run, on loopback only, measures with autocannon a bare
// node:http hello-world (what this machine can do at all) and Teamlens's busiest paths: the
// respondent page, a submission, a team report and the dashboard. Prints requests/s, p50/p99
// latency, errors, the server's CPU per request (Node and the embedded database together, from
// /proc: the core's busy time divided by the requests served) and its peak RSS, each throughput
// as a ratio to the bare baseline. The servers (and the embedded database) run on one core,
// autocannon on the other (taskset).
//   BENCH_SECONDS per case (default 10), BENCH_CONNECTIONS (default 50), MONGODB_URI optional.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crowd, prepare } from './support/coach';
import {
  cpuMsOf,
  LOAD_CORE,
  peakRssMb,
  SERVER_CORE,
  startDatabaseOnServerCore,
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
  /** Server CPU per request, ms: the server's and the embedded database's together. */
  cpuMs: number | null;
  /** How busy the server core was, in % of the case's duration. */
  busyPercent: number | null;
  rssMb: number | null;
};

/** The CPU the server processes (Teamlens and the embedded database) have used so far, ms. */
async function serverCpuMs(pids: readonly (number | null | undefined)[]): Promise<number | null> {
  let total = 0;
  for (const pid of pids) {
    const used = await cpuMsOf(pid);
    if (used === null) return null;
    total += used;
  }
  return total;
}

async function measure(
  label: string,
  options: autocannon.Options,
  pids: readonly (number | null | undefined)[],
): Promise<Row> {
  // One request first, waited for however long it takes: the server has worked off what the
  // previous case left queued (in the database above all), and this path is warm.
  await fetch(String(options.url), {
    headers: options.headers as Record<string, string> | undefined,
    signal: AbortSignal.timeout(120_000),
  }).then((res) => res.arrayBuffer());
  const cpuBefore = await serverCpuMs(pids);
  const result = await autocannon({
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 30,
    ...options,
  });
  const cpuAfter = await serverCpuMs(pids);
  const cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  const row = {
    label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuMs: cpu === null || result.requests.total === 0 ? null : cpu / result.requests.total,
    busyPercent: cpu === null ? null : (cpu / (result.duration * 1000)) * 100,
    rssMb: await peakRssMb(pids[0] ?? undefined),
  };
  process.stderr.write(
    `measured: ${JSON.stringify({ ...row, timeouts: result.timeouts, non2xx: result.non2xx, statuses: result.statusCodeStats })}\n`,
  );
  return row;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'teamlens-load-'));
  const embedded = await startDatabaseOnServerCore(dataDir);
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
  await measure('warm-up (not reported)', { url: `http://127.0.0.1:${bare.port}/`, duration: 2 }, [
    bare.child.pid,
  ]);
  rows.push(
    await measure('bare node:http hello-world', { url: `http://127.0.0.1:${bare.port}/` }, [
      bare.child.pid,
    ]),
  );
  bare.child.kill('SIGTERM');

  const uri = process.env.MONGODB_URI ?? `${embedded!.uri}`;
  const databaseUri = `${uri.replace(/\/?$/, '/')}load_${randomBytes(3).toString('hex')}`;
  const teamlens = await startTeamlens(databaseUri, dataDir);
  const { origin } = teamlens;
  try {
    const setup = await prepare(origin, REPORT_RESPONSES);
    // The server's CPU is Teamlens's and the embedded database's (null with MONGODB_URI).
    const pids = [teamlens.child.pid, embedded ? embedded.pid() : undefined];
    await measure(
      'warm-up (not reported)',
      { url: `${origin}/r/${setup.link}`, duration: 2 },
      pids,
    );
    rows.push(
      await measure('respondent page GET /r/<link>', { url: `${origin}/r/${setup.link}` }, pids),
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
        pids,
      ),
    );
    rows.push(
      await measure(
        `team report page (the round above: ${REPORT_RESPONSES} answers + the submissions)`,
        { url: `${origin}/reports/rounds/${setup.roundId}`, headers: { cookie: setup.cookie } },
        pids,
      ),
    );
    rows.push(
      await measure(
        'dashboard page',
        { url: `${origin}/dashboard`, headers: { cookie: setup.cookie } },
        pids,
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
    '| case | requests/s | ratio to bare | p50 ms | p99 ms | errors | server CPU ms/request | server core busy | server peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.rps.toFixed(0)} | ${((r.rps / baseline) * 100).toFixed(1)} % | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuMs?.toFixed(2) ?? 'n/a'} | ${r.busyPercent === null ? 'n/a' : `${r.busyPercent.toFixed(0)} %`} | ${r.rssMb?.toFixed(0) ?? 'n/a'} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
