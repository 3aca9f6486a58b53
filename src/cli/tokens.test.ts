import { describe, expect, it } from 'vitest';
import { expiryOf, statusOf, tokenTable } from './tokens.ts';

const now = new Date('2026-03-02T02:00:00.000Z');

describe('token expiry', () => {
  it('defaults to 180 days for every role but admin, and to never for admin', () => {
    expect(expiryOf(undefined, 'agency', now)).toBe('2026-08-29T02:00:00.000Z');
    expect(expiryOf(undefined, 'viewer', now)).toBe('2026-08-29T02:00:00.000Z');
    expect(expiryOf(undefined, 'admin', now)).toBeNull();
    expect(expiryOf('never', 'admin', now)).toBeNull();
  });

  it('takes days or hours', () => {
    expect(expiryOf('90d', 'bureau', now)).toBe('2026-05-31T02:00:00.000Z');
    expect(expiryOf('12h', 'bureau', now)).toBe('2026-03-02T14:00:00.000Z');
  });

  it('refuses anything else, and never for other roles than admin', () => {
    for (const bad of ['0d', '90', 'd', '1.5d', '-1d', '90D', '1w', '999999d', ' 90d']) expect(() => expiryOf(bad, 'admin', now), bad).toThrow(/--expires/);
    expect(() => expiryOf('never', 'bureau', now)).toThrow(/管理员/);
  });
});

describe('token list', () => {
  it('shows state, scope and times in the bureau\'s zone', () => {
    const base = { label: null, createdAt: '2026-03-01T02:00:00.000Z', lastUsedAt: null, revokedAt: null, agency: null, supervisorId: null };
    const lines = tokenTable([
      { ...base, id: 'tok_a', role: 'agency', agency: 'urban', expiresAt: '2026-03-02T01:00:00.000Z' },
      { ...base, id: 'tok_b', role: 'admin', expiresAt: null, revokedAt: '2026-03-01T03:00:00.000Z' },
    ], now, 'Asia/Shanghai');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^tok_a\s+agency\s+单位 urban\s+2026-03-01 10:00\s+从未使用\s+2026-03-02 09:00\s+—\s+已过期$/);
    expect(lines[2]).toMatch(/^tok_b\s+admin\s+全部\s+2026-03-01 10:00\s+从未使用\s+不过期\s+2026-03-01 11:00\s+已吊销$/);
    expect(statusOf({ revokedAt: null, expiresAt: null }, now)).toBe('有效');
  });
});
