// npm run bench: every benchmark, each printing ratios measured in this one run on this machine.
import { benchIntake } from './intake.ts';
import { benchRouting } from './routing.ts';
import { benchSweep } from './sweep.ts';
import { benchDedupe } from './dedupe.ts';
import { benchQueuePage } from './queuePage.ts';
import { benchStats } from './stats.ts';
import { benchHotspots } from './hotspots.ts';
import { benchWorkers } from './workers.ts';

const sections: [string, () => Promise<string[]>][] = [
  ['webhook intake', () => benchIntake(Number(process.env.BENCH_SECONDS ?? 10))],
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
