// What CI's closing line counts: the result files that each test runner writes, read into
// passed and failed. A file that cannot be read counts as one failure, so a project that
// crashed before writing its results can never be read as green.

export type Counts = Readonly<{ passed: number; failed: number }>;

/** jest's results (`--json --outputFile=…`). */
export function countJest(text: string): Counts {
  const result = JSON.parse(text) as Partial<Record<string, unknown>>;
  const { numPassedTests, numFailedTests, numRuntimeErrorTestSuites } = result;
  if (
    typeof numPassedTests !== 'number' ||
    typeof numFailedTests !== 'number' ||
    typeof numRuntimeErrorTestSuites !== 'number'
  ) {
    throw new Error('not a jest results file');
  }
  // Suites that failed to run (a syntax error, a failing hook) have no failed test in them.
  return { passed: numPassedTests, failed: numFailedTests + numRuntimeErrorTestSuites };
}

/** A JUnit report, from its root element's counts (`<testsuites>` or a lone `<testsuite>`). */
export function countJUnit(text: string): Counts {
  const root = /<testsuites?\b([^>]*)>/.exec(text)?.[1];
  if (root === undefined) throw new Error('no <testsuites> or <testsuite> element');
  const attribute = (name: string): number | undefined => {
    const match = new RegExp(`\\b${name}="(\\d+)"`).exec(root);
    return match ? Number(match[1]) : undefined;
  };
  const tests = attribute('tests');
  if (tests === undefined) throw new Error('the root element has no tests count');
  const failed = (attribute('failures') ?? 0) + (attribute('errors') ?? 0);
  return { passed: tests - failed - (attribute('skipped') ?? 0), failed };
}

/** Sums the files: `.xml` ones as JUnit reports, the others as jest's JSON. */
export function sumResults(
  files: readonly string[],
  read: (file: string) => string,
): Counts & { problems: string[] } {
  let passed = 0;
  let failed = 0;
  const problems: string[] = [];
  for (const file of files) {
    try {
      const text = read(file);
      const counts = file.endsWith('.xml') ? countJUnit(text) : countJest(text);
      passed += counts.passed;
      failed += counts.failed;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      problems.push(`cannot read test results ${file}: ${reason}`);
      failed += 1;
    }
  }
  return { passed, failed, problems };
}
