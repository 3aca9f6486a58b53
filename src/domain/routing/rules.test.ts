import { describe, expect, it } from 'vitest';
import { BUILTIN_DIRECTORY } from '../directory.ts';
import { BUILTIN_RULES_DATA } from './builtinRules.ts';
import { validateRules } from './rules.ts';

const base = {
  version: 1,
  thresholds: { minScore: 2, minMargin: 1 },
  rules: [{ id: 'urban.vending', agency: 'urban', weight: 3, match: { keywords: ['占道经营'] } }],
};
const withRules = (...rules: unknown[]) => ({ ...base, rules: [...base.rules, ...rules] });

function errorsOf(json: unknown): string[] {
  const v = validateRules(json, BUILTIN_DIRECTORY);
  return v.ok ? [] : v.errors;
}

describe('validateRules', () => {
  it('accepts the built-in rules and a minimal file, applying defaults', () => {
    expect(validateRules(BUILTIN_RULES_DATA, BUILTIN_DIRECTORY).ok).toBe(true);
    const v = validateRules(base, BUILTIN_DIRECTORY);
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.rules.rules[0]!.priority).toBe(0);
      expect(v.rules.subjectAliases).toEqual({});
      expect(v.rules.problemTypes).toEqual([]);
    }
  });

  it('names the rule with an unknown agency', () => {
    expect(errorsOf(withRules({ id: 'x', agency: 'foo', match: { keywords: ['a'] } })))
      .toEqual(['rules[1] (id "x"): unknown agency "foo"']);
  });

  it('reports schema errors with the rule index, id and field', () => {
    const errors = errorsOf(withRules({ id: 'bad.weight', agency: 'urban', weight: -1, match: { keywords: ['a'] } }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^rules\[1\] \(id "bad\.weight"\) weight: /);
    expect(errorsOf(withRules({ id: 'typo', agency: 'urban', match: { keyword: ['a'] } }))[0])
      .toMatch(/^rules\[1\] \(id "typo"\) match: .*keyword/);
    expect(errorsOf({ ...base, version: 2 })[0]).toMatch(/^version: /);
    expect(errorsOf({ ...base, thresholds: { minScore: 'high', minMargin: 1 } })[0]).toMatch(/^thresholds\.minScore: /);
    expect(errorsOf(withRules({ id: 'empty', agency: 'urban', match: { keywords: [] } }))[0])
      .toMatch(/^rules\[1\] \(id "empty"\) match\.keywords: empty list/);
  });

  it('rejects duplicate ids, agency and transfer together, and rules without a condition', () => {
    expect(errorsOf(withRules({ id: 'urban.vending', agency: 'urban', match: { keywords: ['摊贩'] } })))
      .toEqual(['rules[1] (id "urban.vending"): duplicate id, already used by rules[0]']);
    expect(errorsOf(withRules({ id: 'both', agency: 'urban', transfer: 'judicial', match: { keywords: ['a'] } })))
      .toEqual(['rules[1] (id "both"): give exactly one of "agency" and "transfer"']);
    expect(errorsOf(withRules({ id: 'neither', match: { keywords: ['a'] } })))
      .toEqual(['rules[1] (id "neither"): give exactly one of "agency" and "transfer"']);
    expect(errorsOf(withRules({ id: 'always', agency: 'market' }))[0]).toMatch(/^rules\[1\] \(id "always"\): a rule naming a fixed agency needs a condition/);
    expect(errorsOf(withRules({ id: 't', transfer: 'discipline' }))).toEqual(['rules[1] (id "t"): a transfer rule needs a condition']);
    expect(errorsOf(withRules({ id: 'w', agency: 'urban', match: { subject: ['城管'], withKeywords: ['a'] } })))
      .toEqual(['rules[1] (id "w"): withKeywords/withoutKeywords need keywords']);
  });

  it('checks targets: transfer agencies, dynamic targets, townships', () => {
    expect(errorsOf(withRules({ id: 'd', agency: 'discipline', match: { keywords: ['受贿'] } }))[0])
      .toBe('rules[1] (id "d"): "discipline" is a transfer target, use transfer: "discipline" or "judicial"');
    expect(errorsOf(withRules({ id: 'dyn', agency: '@village' }))[0]).toMatch(/unknown target "@village"/);
    expect(errorsOf(withRules({ id: 'dyn', agency: '@township' }))).toEqual([]);
    expect(errorsOf(withRules({ id: 'tw', agency: '@township', match: { township: ['urban'] } })))
      .toEqual(['rules[1] (id "tw"): "urban" is not a township agency']);
  });

  it('checks aliases and domains', () => {
    expect(errorsOf({ ...base, subjectAliases: { 城管: 'urbn', 镇政府: '@township' } }))
      .toEqual(['subjectAliases["城管"]: unknown agency "urbn"']);
    expect(errorsOf({ ...base, townshipAliases: { 梅湾: 'urban' } }))
      .toEqual(['townshipAliases["梅湾"]: "urban" is not a township agency']);
    expect(errorsOf({ ...base, domains: [{ name: '城市管理', agencies: ['urban', 'nope'] }] }))
      .toEqual(['domains[0] ("城市管理"): unknown agency "nope"']);
    expect(errorsOf({ ...base, problemTypes: [{ name: '不作为', keywords: ['推诿'] }, { name: '不作为', keywords: ['敷衍'] }] }))
      .toEqual(['problemTypes[1] ("不作为"): duplicate name']);
  });

  it('collects every error, not just the first', () => {
    const errors = errorsOf(withRules(
      { id: 'a', agency: 'foo', match: { keywords: ['x'] } },
      { id: 'b', agency: 'bar', match: { keywords: ['y'] } },
    ));
    expect(errors).toEqual(['rules[1] (id "a"): unknown agency "foo"', 'rules[2] (id "b"): unknown agency "bar"']);
  });
});
