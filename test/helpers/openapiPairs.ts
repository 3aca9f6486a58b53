// Where the test processes of one vitest run append the (operation, status) pairs whose answers
// they checked against the OpenAPI document (test/helpers/openapi.ts); the run's reporter
// (test/helpers/summaryReporter.ts) counts them. The forks' parent process is the run.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function pairsFile(runPid: number): string {
  return join(tmpdir(), `xiansuo-openapi-pairs-${runPid}.txt`);
}
