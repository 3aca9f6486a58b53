import { describe, expect, it } from 'vitest';
import { inspectJson, MAX_JSON_DEPTH, textProblem } from './jsonInput.ts';

const nested = (levels: number): unknown => JSON.parse('{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1));

describe('inspectJson', () => {
  it('accepts ordinary Chinese text, paired surrogates (emoji) and control characters other than NUL', () => {
    expect(inspectJson({ title: '城管执法😀', list: ['\t换行\n', 1, null, true], k: { 'x/y~z': '' } })).toEqual([]);
  });

  it('names NUL and unpaired surrogates in values, in unknown fields and in keys, as JSON pointers', () => {
    const errors = inspectJson(JSON.parse('{"title":"a\\u0000b","extra":{"list":["ok","\\ud800"]},"bad\\u0000key":1,"lo\\udc00":2,"a/b":"\\udfff\\ud800"}'));
    expect(errors.map((e) => e.path)).toEqual(['/title', '/extra/list/1', '/bad\\u0000key', '/lo\\udc00', '/a~1b']);
    expect(errors[0]!.message).toContain('NUL');
    expect(errors[1]!.message).toContain('代理字符');
    expect(errors[2]!.message).toMatch(/^字段名/);
  });

  it('allows 64 levels and refuses the 65th, at the path where it starts', () => {
    expect(inspectJson(nested(MAX_JSON_DEPTH))).toEqual([]);
    const errors = inspectJson(nested(MAX_JSON_DEPTH + 1));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('/a'.repeat(MAX_JSON_DEPTH));
    expect(errors[0]!.message).toContain('64');
  });

  it('walks 100,000 levels without exhausting the call stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(inspectJson(deep)).toHaveLength(1);
  });

  it('stops after the error limit', () => {
    expect(inspectJson(Array.from({ length: 100 }, () => '\u0000'), 64, 5)).toHaveLength(5);
  });

  it('textProblem says why, or null', () => {
    expect(textProblem('正常')).toBeNull();
    expect(textProblem('\u0000')).toContain('NUL');
    expect(textProblem('\ud83d')).toContain('代理');
    expect(textProblem('\ud83d\ude00')).toBeNull();
  });
});
