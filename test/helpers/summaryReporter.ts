// Prints one plain closing line, "tests: N passed, N failed, N skipped", after vitest's own report,
// so that any tool reading the last line knows how many tests ran.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A suite whose hooks failed leaves its tests skipped: count the suite as a failure.
      const failedHere = [...m.children.allTests()].some((t) => t.result().state === 'failed');
      if (m.state() === 'failed' && !failedHere) failed++;
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
