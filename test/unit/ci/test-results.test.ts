import { countJest, countJUnit, sumResults } from '../../../scripts/support/test-results';

const jestResults = (passed: number, failed: number, crashedSuites = 0): string =>
  JSON.stringify({
    numPassedTests: passed,
    numFailedTests: failed,
    numRuntimeErrorTestSuites: crashedSuites,
    testResults: [],
  });

// The shape schemathesis writes with `--report junit`.
const junit = (tests: number, failures: number, errors: number, skipped: number): string =>
  `<?xml version="1.0" encoding="utf-8"?>
<testsuites errors="${errors}" failures="${failures}" skipped="${skipped}" tests="${tests}" time="33.2">
  <testsuite name="schemathesis" hostname="vm" errors="${errors}" failures="${failures}" skipped="${skipped}" tests="${tests}" time="33.2">
    <testcase name="POST /auth/signup" time="0.6" />
  </testsuite>
</testsuites>`;

describe('countJest', () => {
  it('counts a suite that crashed before running a test as a failure', () => {
    expect(countJest(jestResults(10, 1, 2))).toEqual({ passed: 10, failed: 3 });
  });

  it('refuses JSON that is not jest results', () => {
    expect(() => countJest('{"tests": 3}')).toThrow('not a jest results file');
  });
});

describe('countJUnit', () => {
  it('takes passed as the tests that neither failed, errored nor were skipped', () => {
    expect(countJUnit(junit(35, 2, 1, 4))).toEqual({ passed: 28, failed: 3 });
  });

  it('reads a lone <testsuite> root', () => {
    expect(countJUnit('<testsuite tests="3" failures="1">')).toEqual({ passed: 2, failed: 1 });
  });

  it('refuses a file without a count', () => {
    expect(() => countJUnit('<html></html>')).toThrow('no <testsuites>');
    expect(() => countJUnit('<testsuites name="x">')).toThrow('no tests count');
  });
});

describe('sumResults', () => {
  const files: Record<string, string> = {
    '/r/browser.json': jestResults(15, 0),
    '/r/fuzz.xml': junit(35, 0, 0, 0),
    '/r/tests.json': jestResults(1164, 1),
  };
  const read = (file: string): string => {
    const text = files[file];
    if (text === undefined) throw new Error(`ENOENT: ${file}`);
    return text;
  };

  it('sums jest and JUnit files alike', () => {
    expect(sumResults(Object.keys(files), read)).toEqual({
      passed: 1214,
      failed: 1,
      problems: [],
    });
  });

  it('counts a file that is missing or unreadable as one failure, and says which', () => {
    const counts = sumResults(['/r/browser.json', '/r/missing.json'], read);
    expect(counts).toMatchObject({ passed: 15, failed: 1 });
    expect(counts.problems).toEqual([
      'cannot read test results /r/missing.json: ENOENT: /r/missing.json',
    ]);
  });
});
