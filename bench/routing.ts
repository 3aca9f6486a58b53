// Routing cost per lead with the built-in rules (target: under 1 ms), on real citizen messages.
import { existsSync, readFileSync } from 'node:fs';
import { BUILTIN_DIRECTORY } from '../src/domain/directory.ts';
import { BUILTIN_RULES, compileRules } from '../src/domain/routing/index.ts';

const DATA = '../shared/data/tipdm2020/labelled.jsonl';

export async function benchRouting(): Promise<string[]> {
  const fixture = JSON.parse(readFileSync('test/fixtures/routing-leads.json', 'utf8')) as { leads?: { title?: string; content: string }[] } | { title?: string; content: string }[];
  const texts: { title: string; content: string }[] = (Array.isArray(fixture) ? fixture : fixture.leads ?? [])
    .map((l) => ({ title: l.title ?? '', content: l.content }));
  if (existsSync(DATA)) {
    for (const line of readFileSync(DATA, 'utf8').split('\n').filter(Boolean)) {
      const m = JSON.parse(line) as { title: string; content: string };
      texts.push({ title: m.title, content: m.content });
    }
  }
  const started = performance.now();
  const router = compileRules(BUILTIN_RULES, BUILTIN_DIRECTORY);
  const compileMs = performance.now() - started;
  for (const t of texts) router.route({ ...t, source: 'hotline' }); // warm-up
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const t of texts) {
      const s = performance.now();
      router.route({ ...t, source: 'hotline' });
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const p99 = times[Math.floor(times.length * 0.99)]!;
  return [
    `routing: ${texts.length} leads × 5 rounds, built-in rules compiled once in ${compileMs.toFixed(1)} ms`,
    `routing one lead: mean ${(mean * 1000).toFixed(0)} µs, p99 ${(p99 * 1000).toFixed(0)} µs, max ${(times.at(-1)! * 1000).toFixed(0)} µs (target < 1000 µs): ${p99 < 1 ? 'met' : 'NOT met'}`,
  ];
}
