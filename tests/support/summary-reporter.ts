import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

/**
 * Ends every run with one plain line, `N passed, N failed, N skipped`, for tools that read it.
 *
 * The line fails when the run fails. A suite or module that failed on its own (a `beforeAll` or
 * `afterAll` that threw, a file that did not load) makes vitest mark its tests skipped; here
 * those tests count as failed, and such a suite with nothing else to blame counts as one
 * failure. Errors outside any test (unhandled rejections) count one failure each. Tests skipped
 * on purpose (`it.skip`, `it.todo`, `ctx.skip()`) in a healthy suite stay skipped.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const count = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
    for (const module of testModules) {
      const failedTests = new Set<TestCase>();
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') count.passed++;
        else if (state === 'failed' || insideBrokenSuite(test)) failedTests.add(test);
        else count.skipped++;
      }
      let failed = failedTests.size;
      // A broken suite or module none of whose tests counted as failed (a file that did not
      // load, an afterAll that threw after its tests passed) is one failure.
      for (const suite of [module, ...module.children.allSuites()]) {
        if (suite.errors().length === 0) continue;
        if (![...suite.children.allTests()].some((test) => failedTests.has(test))) failed++;
      }
      // Whatever else made vitest fail the module, it is not a clean file.
      if (failed === 0 && module.state() === 'failed') failed = 1;
      count.failed += failed;
    }
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}

/** True when a suite or module around the test failed by itself (its hooks, its collection). */
function insideBrokenSuite(test: TestCase): boolean {
  for (let parent: TestSuite | TestModule = test.parent; ; parent = parent.parent) {
    if (parent.errors().length > 0) return true;
    if (parent.type === 'module') return false;
  }
}
