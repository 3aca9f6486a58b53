// Acceptance test: the hand-written enforcement-problem leads of test/fixtures/routing-leads.json.
import { describe, expect, it } from 'vitest';
import fixture from '../../../test/fixtures/routing-leads.json' with { type: 'json' };
import { BUILTIN_DIRECTORY } from '../directory.ts';
import type { Source, Transfer } from '../types.ts';
import { BUILTIN_RULES } from './builtinRules.ts';
import { compileRules } from './router.ts';

interface FixtureLead {
  id: string;
  source: Source;
  title: string;
  content: string;
  subject?: string;
  address?: string;
  township?: string;
  category?: string;
  expected: { agency: string; transfer: Transfer | null };
}

const leads = fixture.leads as FixtureLead[];
const router = compileRules(BUILTIN_RULES, BUILTIN_DIRECTORY);

describe('routing fixture (test/fixtures/routing-leads.json)', () => {
  it('is a fair sample: ≥ 60 leads, all three channels, known agencies, transfers of both kinds', () => {
    expect(leads.length).toBeGreaterThanOrEqual(60);
    const codes = new Set(BUILTIN_DIRECTORY.agencies.map((a) => a.code));
    for (const l of leads) expect(codes.has(l.expected.agency), l.id).toBe(true);
    for (const s of ['hotline', 'media', 'supervisor'] as const) {
      expect(leads.filter((l) => l.source === s).length).toBeGreaterThanOrEqual(15);
    }
    expect(leads.filter((l) => l.expected.transfer === 'discipline').length).toBeGreaterThanOrEqual(3);
    expect(leads.filter((l) => l.expected.transfer === 'judicial').length).toBeGreaterThanOrEqual(3);
    expect(leads.filter((l) => l.expected.agency.startsWith('township-')).length).toBeGreaterThanOrEqual(5);
    expect(new Set(leads.map((l) => l.id)).size).toBe(leads.length);
  });

  it('routes ≥ 90% of the leads to the expected agency and transfer', () => {
    const wrong: string[] = [];
    for (const l of leads) {
      const res = router.route(l);
      if (res.agency !== l.expected.agency || res.transfer !== l.expected.transfer) {
        wrong.push(`${l.id}: expected ${l.expected.agency}/${l.expected.transfer}, got ${res.agency}/${res.transfer} — ${res.reason}`);
      }
    }
    const accuracy = (leads.length - wrong.length) / leads.length;
    console.log(`routing fixture: ${leads.length - wrong.length}/${leads.length} correct (${(accuracy * 100).toFixed(1)}%)`
      + (wrong.length ? `\n  ${wrong.join('\n  ')}` : ''));
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
