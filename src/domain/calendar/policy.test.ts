import { describe, expect, it } from 'vitest';
import { BUILT_IN_DEADLINE_POLICY, deadlinePolicySchema } from './policy.ts';

describe('deadline policy schema', () => {
  it('accepts the built-in policy of API.md §5', () => {
    expect(deadlinePolicySchema.parse(BUILT_IN_DEADLINE_POLICY)).toEqual({
      normal: { acknowledge: { workingDays: 1 }, feedback: { workingDays: 15 } },
      urgent: { acknowledge: { hours: 2 }, feedback: { workingDays: 3 } },
    });
  });

  it('refuses nonsense', () => {
    const bad = (p: unknown) => deadlinePolicySchema.safeParse(p).success;
    const ok = BUILT_IN_DEADLINE_POLICY;
    expect(bad({ ...ok, normal: { ...ok.normal, feedback: { workingDays: 0 } } })).toBe(false);
    expect(bad({ ...ok, normal: { ...ok.normal, feedback: { workingDays: 2.5 } } })).toBe(false);
    expect(bad({ ...ok, urgent: { ...ok.urgent, acknowledge: { hours: -1 } } })).toBe(false);
    expect(bad({ ...ok, urgent: { ...ok.urgent, acknowledge: { hours: 2, workingDays: 1 } } })).toBe(false);
    expect(bad({ normal: ok.normal })).toBe(false);
    expect(bad({ ...ok, low: ok.normal })).toBe(false);
  });
});
