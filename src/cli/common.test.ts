import { describe, expect, it } from 'vitest';
import { formatLocal, parseInstant } from './common.ts';

describe('parseInstant', () => {
  it('reads a time without an offset in the bureau zone, and keeps a given offset', () => {
    expect(parseInstant('2026-03-05T09:00', 'Asia/Shanghai', '--now').toISOString()).toBe('2026-03-05T01:00:00.000Z');
    expect(parseInstant('2026-03-05 09:00:30', 'Asia/Shanghai', '--now').toISOString()).toBe('2026-03-05T01:00:30.000Z');
    expect(parseInstant('2026-03-05T09:00:00Z', 'Asia/Shanghai', '--now').toISOString()).toBe('2026-03-05T09:00:00.000Z');
    expect(parseInstant('2026-03-05T09:00:00-05:00', 'Asia/Shanghai', '--now').toISOString()).toBe('2026-03-05T14:00:00.000Z');
    expect(parseInstant('2026-07-01T09:00', 'Europe/Berlin', '--now').toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });
  it('refuses what is not a time, naming the flag', () => {
    for (const bad of ['tomorrow', '2026-03-05', '2026-13-05T09:00', '2026-03-05T25:00']) {
      expect(() => parseInstant(bad, 'Asia/Shanghai', '--now'), bad).toThrow(/--now/);
    }
  });
});

describe('formatLocal', () => {
  it('prints an instant in the given zone', () => {
    expect(formatLocal('2026-03-05T01:00:00Z', 'Asia/Shanghai')).toBe('2026-03-05 09:00:00');
  });
});
