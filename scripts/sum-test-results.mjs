// Sums jest's JSON result files (`--json --outputFile=…`) into the one plain line CI reads:
// `tests: N passed, N failed`. A missing or unreadable file counts as a failure, so a project
// that crashed before writing its results can never be read as green.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const result = JSON.parse(readFileSync(file, 'utf8'));
    passed += result.numPassedTests;
    // Suites that failed to run (a syntax error, a failing hook) have no failed test in them.
    failed += result.numFailedTests + result.numRuntimeErrorTestSuites;
  } catch (err) {
    process.stderr.write(`cannot read test results ${file}: ${err.message}\n`);
    failed += 1;
  }
}
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
