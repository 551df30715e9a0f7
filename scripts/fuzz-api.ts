// `npm run fuzz:api`: schemathesis (from PyPI) against /api/v1/openapi.json of a local app with
// data to find (a coach's token, a team, an open round): no 5xx, and every answer must conform
// to the document (status code, content type, body schema). Bounded: SCHEMATHESIS_EXAMPLES per
// operation (default 30), a fixed seed, and a time limit. Loopback only.
//   SCHEMATHESIS=path/to/schemathesis (default: the venv that .ci/run installs)
//   FUZZ_JUNIT=path/to/results.xml: also write a JUnit report (one test case per operation),
//     which .ci/run adds to its closing count
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from '../src/paths';
import { apiClient, startLocalApp } from './support/local-app';

const SCHEMATHESIS =
  process.env.SCHEMATHESIS ??
  path.join(ROOT, 'node_modules', '.cache', 'teamlens', 'schemathesis', 'bin', 'schemathesis');
const EXAMPLES = process.env.SCHEMATHESIS_EXAMPLES ?? '30';
const TIME_LIMIT_MS = 10 * 60_000;

/**
 * Schemathesis closes its output with a pytest-style rule ("==== 3 warnings in 73.32s ====").
 * CI reads such a line as pytest's closing line, and one that names no passed test as a run
 * that executed no test, whatever else ran. The rule says nothing the summary above it does
 * not, so it is left out; the counts reach CI through the JUnit report instead.
 */
const PYTEST_STYLE_CLOSING = /^=+ .* in [\d.]+s =+$/;

/** The checks that must hold for every request it makes, valid or not. */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
].join(',');

async function main(): Promise<number> {
  const local = await startLocalApp();
  try {
    const api = apiClient(local.origin);
    await api.signup('Fuzz');
    const team = await api.call<{ id: string }>('POST', '/teams', { name: 'Fuzzed team' });
    const round = await api.call<{ id: string }>('POST', '/rounds', {
      teamId: team.id,
      questionnaire: { slug: 'drivers-constraints-floats' },
      title: 'Fuzzed round',
    });
    await api.call('POST', `/rounds/${round.id}/open`);

    const args = [
      'run',
      `${local.origin}/api/v1/openapi.json`,
      '--url',
      `${local.origin}/api/v1`,
      '-H',
      `Authorization: Bearer ${api.token}`,
      '--checks',
      CHECKS,
      '--max-examples',
      EXAMPLES,
      '--seed',
      '1',
      '--workers',
      '1',
      '--request-timeout',
      '10',
      '--no-color',
      ...(process.env.FUZZ_JUNIT
        ? ['--report', 'junit', '--report-junit-path', process.env.FUZZ_JUNIT]
        : []),
    ];
    const child = spawn(SCHEMATHESIS, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!PYTEST_STYLE_CLOSING.test(line)) process.stdout.write(`${line}\n`);
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), TIME_LIMIT_MS);
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode ?? 1));
    });
    clearTimeout(timer);
    return code;
  } finally {
    await local.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
