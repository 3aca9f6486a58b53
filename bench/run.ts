// npm run bench: every benchmark, each printing ratios measured in this one run on this machine.
import { benchIntake, benchIntakeBaseline } from './intake.ts';
import { benchRouting } from './routing.ts';
import { benchSweep } from './sweep.ts';
import { benchDedupe } from './dedupe.ts';
import { benchQueuePage } from './queuePage.ts';
import { benchStats } from './stats.ts';
import { benchHotspots } from './hotspots.ts';
import { benchWorkers } from './workers.ts';

/** The last commit before issue 13's write path: intake as it was. */
const INTAKE_BASELINE = 'e05c8de';

const sections: [string, () => Promise<string[]>][] = [
  ['webhook intake', () => benchIntake(Number(process.env.BENCH_SECONDS ?? 10))],
  // Intake before the plan-then-commit write path (issue 13) against now, unless told another ref.
  ['intake old/new', () => benchIntakeBaseline(process.env.BENCH_INTAKE_BASELINE ?? INTAKE_BASELINE, Number(process.env.BENCH_SECONDS ?? 10))],
  ['routing', benchRouting],
  ['deadline sweep', benchSweep],
  ['de-duplication', benchDedupe],
  ['queue page', () => benchQueuePage()],
  ['statistics', () => benchStats()],
  ['hotspots', () => benchHotspots()],
  ['workers', () => benchWorkers()],
];

const only = process.argv[2];
for (const [name, run] of sections) {
  if (only && !name.includes(only)) continue;
  console.log(`\n== ${name} ==`);
  for (const line of await run()) console.log(line);
}
