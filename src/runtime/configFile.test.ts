import { describe, expect, it } from 'vitest';
import { BUILTIN_DIRECTORY } from '../domain/directory.ts';
import { BUILTIN_RULES_DATA } from '../domain/routing/index.ts';
import { effectiveConfig } from './configFile.ts';

describe('XIANSUO_CONFIG merged over the built-ins', () => {
  it('changes one agency address with one entry and keeps every other agency', () => {
    const c = effectiveConfig({ directory: { agencies: [{ code: 'urban', email: 'cgj@lst.gov.cn' }, { code: 'market', headEmail: 'sj-head@lst.gov.cn' }] } }, 'f');
    expect(c.directory.agencies).toHaveLength(BUILTIN_DIRECTORY.agencies.length);
    expect(c.directory.agencies.find((a) => a.code === 'urban')).toMatchObject({ name: '区城市管理和综合执法局', email: 'cgj@lst.gov.cn', headEmail: 'urban-head@example.gov.cn' });
    expect(c.directory.agencies.find((a) => a.code === 'market')).toMatchObject({ email: 'market@example.gov.cn', headEmail: 'sj-head@lst.gov.cn' });
    expect(c.directory.bureauEmail).toBe(BUILTIN_DIRECTORY.bureauEmail);
  });

  it('adds a new agency only with all its fields, and replaces the directory on request', () => {
    expect(() => effectiveConfig({ directory: { agencies: [{ code: 'new-one', email: 'n@x.cn' }] } }, 'f')).toThrow(/新单位 “new-one” 缺少 name、kind、headEmail/);
    const c = effectiveConfig({ directory: { replace: true, bureauEmail: 'jd@x.cn', agencies: [{ code: 'urban', name: '城管', kind: 'agency', email: 'a@x.cn', headEmail: 'b@x.cn' }] }, routing: { replace: true, version: 1, thresholds: { minScore: 1, minMargin: 0 }, rules: [{ id: 'r', agency: 'urban', match: { keywords: ['城管'] } }] } }, 'f');
    expect(c.directory.agencies.map((a) => a.code)).toEqual(['urban']);
  });

  it('refuses unknown keys by name, at every level', () => {
    expect(() => effectiveConfig({ directroy: {} }, 'f')).toThrow(/未知的键 “directroy”/);
    expect(() => effectiveConfig({ directory: { agencies: [{ code: 'urban', emial: 'x@y.cn' }] } }, 'f')).toThrow(/directory\.agencies\[0\]：未知的键 “emial”/);
    expect(() => effectiveConfig({ deadlines: { normal: { acknowledge: { days: 1 } } } }, 'f')).toThrow(/deadlines/);
    expect(() => effectiveConfig({ dedupe: { windowDay: 30 } }, 'f')).toThrow(/dedupe.*windowDay/);
    expect(() => effectiveConfig({ routing: { rules: [{ id: 'x', agency: 'urban', match: { keyword: ['a'] } }] } }, 'f')).toThrow(/keyword/);
  });

  it('replaces or adds rules by id, removes by id, and patches one deadline', () => {
    const builtin = (BUILTIN_RULES_DATA as { rules: { id: string }[] }).rules;
    const first = builtin[0]!.id;
    const c = effectiveConfig({
      routing: { rules: [{ id: first, agency: 'transport', match: { keywords: ['共享单车'] } }, { id: 'bikes', agency: 'transport', match: { keywords: ['单车'] } }], removeRules: [builtin[1]!.id] },
      deadlines: { normal: { feedback: { workingDays: 10 } } },
    }, 'f');
    const rules = c.routing.rules as { id: string; agency?: string }[];
    expect(rules).toHaveLength(builtin.length);
    expect(rules.find((r) => r.id === first)!.agency).toBe('transport');
    expect(rules.some((r) => r.id === 'bikes')).toBe(true);
    expect(rules.some((r) => r.id === builtin[1]!.id)).toBe(false);
    expect(c.deadlines.normal).toEqual({ acknowledge: { workingDays: 1 }, feedback: { workingDays: 10 } });
    expect(() => effectiveConfig({ routing: { removeRules: ['no-such-rule'] } }, 'f')).toThrow(/no-such-rule/);
  });

  it('the built-ins alone are valid', () => {
    expect(effectiveConfig({}, 'f').directory).toEqual(BUILTIN_DIRECTORY);
  });
});
