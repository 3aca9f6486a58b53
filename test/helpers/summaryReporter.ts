// Prints one plain closing line, "tests: N passed, N failed, N skipped", after vitest's own report,
// so that any tool reading the last line knows how many tests ran.
// Before it, how many (operation, status) pairs of the OpenAPI document the suites' answers were
// checked against (test/helpers/openapi.ts).
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';
import { pairsFile } from './openapiPairs.ts';

export default class SummaryReporter implements Reporter {
  onInit(): void {
    rmSync(pairsFile(process.pid), { force: true });
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let lines: string[] = [];
    try {
      lines = readFileSync(pairsFile(process.pid), 'utf8').split('\n').filter((l) => l && !l.startsWith('(no operation)'));
    } catch { /* no API answer checked in this run */ }
    rmSync(pairsFile(process.pid), { force: true });
    // XIANSUO_OPENAPI_PAIRS_OUT=file keeps the pairs (appended), to count them over several runs.
    if (lines.length && process.env.XIANSUO_OPENAPI_PAIRS_OUT) appendFileSync(process.env.XIANSUO_OPENAPI_PAIRS_OUT, `${lines.join('\n')}\n`);
    if (lines.length) {
      const pairs = new Set(lines);
      const ops = new Set([...pairs].map((p) => p.split(' ')[0]));
      process.stdout.write(`\nopenapi: answers checked against the document for ${pairs.size} (operation, status) pairs of ${ops.size} operations\n`);
    }
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
