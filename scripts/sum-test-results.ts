// `tsx scripts/sum-test-results.ts FILE…`: the one plain line CI reads, `tests: N passed,
// N failed`, summed over the result files of every test project that ran (see
// support/test-results.ts). Exits non-zero when anything failed or nothing passed.
import { readFileSync } from 'node:fs';
import { sumResults } from './support/test-results';

const { passed, failed, problems } = sumResults(process.argv.slice(2), (file) =>
  readFileSync(file, 'utf8'),
);
for (const problem of problems) process.stderr.write(`${problem}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
