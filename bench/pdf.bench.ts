// PDF benchmark: `npm run bench:pdf`. BENCH_CLIENTS (default 20) clients ask for a report's PDF
// at once (the demo's Tensions report, 8 A4 pages), BENCH_RUNS times (default 3) per case,
// each case against an app of its own in a child process (with an embedded database of its
// own, or MONGODB_URI):
//   - before: a browser started for each document, as until issue #20 (the baseline);
//   - now: one browser kept running, defaults (PDF_CONCURRENCY=2, PDF_QUEUE=10), each client
//     asking once: some are refused with 503 PDF_BUSY;
//   - now, the refused clients asking again after Retry-After until they have their PDF: the
//     same work as the baseline's, for PDFs per second like for like.
// Prints PDFs served per second (by the time the last was served), latencies, and the memory
// of the app's node process with every Chromium process it started, from /proc: idle before
// the burst, and the peak of the sum of RSS (sampled every 50 ms; pages shared by Chromium's
// processes count once in each) and of PSS (shared pages divided among their sharers; every
// 500 ms).
// Ratios are to the baseline, measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { descendantsOf, memoryKb } from '../scripts/support/processes';
import { apiClient, sessionCookie, startLocalApp } from '../scripts/support/local-app';
import { loadConfig } from '../src/config';
import { launchChromium, printOnPage, type RenderPdf } from '../src/shared/pdf';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHROMIUM_PATH = loadConfig(process.env).pdf.chromiumPath;

type Case = Readonly<{
  label: string;
  browserPerDocument: boolean;
  /** Clients refused with 503 ask again after Retry-After, until they have their PDF. */
  retry: boolean;
}>;
const CASES: readonly Case[] = [
  { label: 'before: a browser per document', browserPerDocument: true, retry: false },
  {
    label: 'now: one browser (defaults), each client asks once',
    browserPerDocument: false,
    retry: false,
  },
  {
    label: 'now: one browser (defaults), refused clients ask again after Retry-After',
    browserPerDocument: false,
    retry: true,
  },
];

/** The baseline: what shared/pdf.ts did before, a Chromium started and closed per document. */
const browserPerDocument: RenderPdf = async (input) => {
  const browser = await launchChromium(CHROMIUM_PATH, 30_000);
  try {
    return await printOnPage(await browser.newPage(), input);
  } finally {
    await browser.close();
  }
};

/** In the child process: the app with the case's PDF renderer, until SIGTERM. */
async function serve(spec: Case): Promise<void> {
  const local = await startLocalApp(
    { CHROMIUM_PATH },
    spec.browserPerDocument ? { pdf: browserPerDocument } : {},
  );
  process.once('SIGTERM', () => {
    void local.stop().then(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ origin: local.origin, database: local.database })}\n`);
}

/** Starts the child that serves one case (with a database of its own), and waits for it. */
async function startServer(
  spec: Case,
): Promise<{ child: ChildProcess; origin: string; database: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, BENCH_PDF_CASE: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the server of "${spec.label}" exited: ${code}`)),
    );
    readline.createInterface({ input: child.stdout }).once('line', resolve);
  });
  return { child, ...(JSON.parse(started) as { origin: string; database: string }) };
}

/** A coach with a session cookie, and the demo's Tensions round whose report shows figures. */
async function prepare(origin: string): Promise<{ url: string; cookie: string }> {
  const api = apiClient(origin);
  const credentials = await api.signup('Pdf');
  await api.call('POST', '/demo');
  const { items } = await api.call<{ items: { id: string; title: string }[] }>('GET', '/rounds');
  let roundId: string | undefined;
  for (const round of items.filter((r) => r.title === 'Tensions')) {
    const report = await api.call<{ suppressed: boolean }>('GET', `/rounds/${round.id}/report`);
    if (!report.suppressed) roundId ??= round.id;
  }
  if (!roundId) throw new Error('the demo has no Tensions round with figures');
  return {
    url: `${origin}/reports/rounds/${roundId}/report.pdf?paper=a4`,
    cookie: await sessionCookie(origin, credentials),
  };
}

type Burst = {
  served: number;
  /** 503 answers, counting each time a retrying client was refused. */
  refused: number;
  pdfsPerSecond: number;
  p50Ms: number;
  maxMs: number;
  idleRssMb: number;
  idlePssMb: number;
  peakRssMb: number;
  peakPssMb: number;
  peakProcesses: number;
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;

/** CLIENTS requests at once; the server's process tree sampled until the last is answered. */
async function burst(
  pid: number,
  target: { url: string; cookie: string },
  retry: boolean,
): Promise<Burst> {
  // The app's node and its browsers; not the embedded database it started.
  const tree = () => [
    pid,
    ...descendantsOf(pid)
      .filter((p) => p.command === 'chromium')
      .map((p) => p.pid),
  ];
  const treeMb = (kind: 'rss' | 'pss', pids = tree()) =>
    sum(pids.map((p) => memoryKb(p, kind))) / 1024;
  const idleRssMb = treeMb('rss');
  const idlePssMb = treeMb('pss');
  let peakRssMb = idleRssMb;
  let peakPssMb = idlePssMb;
  let peakProcesses = 0;
  let tick = 0;
  const sampler = setInterval(() => {
    const pids = tree();
    peakProcesses = Math.max(peakProcesses, pids.length);
    peakRssMb = Math.max(peakRssMb, treeMb('rss', pids));
    if (tick++ % 10 === 0) peakPssMb = Math.max(peakPssMb, treeMb('pss', pids));
  }, 50);

  const start = performance.now();
  const answers = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let refusals = 0; ; refusals += 1) {
        const res = await fetch(target.url, { headers: { cookie: target.cookie } });
        const body = Buffer.from(await res.arrayBuffer());
        if (res.status === 200 && body.subarray(0, 5).toString() === '%PDF-') {
          return { ok: true, refusals, ms: performance.now() - start };
        }
        if (res.status !== 503 || !body.includes('Too many PDFs')) {
          throw new Error(`unexpected answer ${res.status}: ${body.toString().slice(0, 300)}`);
        }
        if (!retry) return { ok: false, refusals: refusals + 1, ms: performance.now() - start };
        const seconds = Number(res.headers.get('retry-after'));
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    }),
  );
  clearInterval(sampler);
  const served = answers.filter((a) => a.ok);
  const seconds = Math.max(...served.map((a) => a.ms)) / 1000;
  return {
    served: served.length,
    refused: sum(answers.map((a) => a.refusals)),
    pdfsPerSecond: served.length / seconds,
    p50Ms: median(served.map((a) => a.ms)),
    maxMs: Math.max(...served.map((a) => a.ms)),
    idleRssMb,
    idlePssMb,
    peakRssMb,
    peakPssMb,
    peakProcesses,
  };
}

async function main(): Promise<void> {
  const rows: { label: string; runs: Burst[] }[] = [];
  let database = '';
  for (const spec of CASES) {
    const server = await startServer(spec);
    database = server.database;
    try {
      const target = await prepare(server.origin);
      // Warm-up, not measured: the first PDF loads playwright-core (and starts the browser).
      await fetch(target.url, { headers: { cookie: target.cookie } }).then((r) => r.arrayBuffer());
      const runs: Burst[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        runs.push(await burst(server.child.pid!, target, spec.retry));
        process.stderr.write(`measured: ${spec.label}: ${JSON.stringify(runs.at(-1))}\n`);
      }
      rows.push({ label: spec.label, runs });
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  }

  const of = (runs: Burst[], key: keyof Burst) => median(runs.map((r) => r[key]));
  const baseline = rows[0]!.runs;
  const ratio = (runs: Burst[], key: keyof Burst) => (of(runs, key) / of(baseline, key)).toFixed(2);
  const lines = [
    `PDF benchmark: ${CLIENTS} clients at once, median of ${RUNS} bursts per case, ${os.availableParallelism()} cores, ${database}`,
    '',
    '| case | served / refused | PDFs/s | ratio | p50 ms | slowest ms | idle RSS / PSS MB | peak RSS MB | ratio | peak PSS MB | ratio | processes at peak |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ label, runs }) =>
        `| ${label} | ${of(runs, 'served')} / ${of(runs, 'refused')} | ${of(runs, 'pdfsPerSecond').toFixed(2)} | ${ratio(runs, 'pdfsPerSecond')} | ${of(runs, 'p50Ms').toFixed(0)} | ${of(runs, 'maxMs').toFixed(0)} | ${of(runs, 'idleRssMb').toFixed(0)} / ${of(runs, 'idlePssMb').toFixed(0)} | ${of(runs, 'peakRssMb').toFixed(0)} | ${ratio(runs, 'peakRssMb')} | ${of(runs, 'peakPssMb').toFixed(0)} | ${ratio(runs, 'peakPssMb')} | ${of(runs, 'peakProcesses')} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const childCase = process.env.BENCH_PDF_CASE;
(childCase ? serve(JSON.parse(childCase) as Case) : main()).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
