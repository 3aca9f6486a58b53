import { describe, expect, it } from 'vitest';
import { familyCount, familyOf, mergedUpwards, recountPlan, type FamilyTree } from './family.ts';

// C is live; B is merged into C, A into B; D stands alone.
const tree: FamilyTree = {
  links: [
    { id: 'A', status: 'merged', mergedInto: 'B', version: 3 },
    { id: 'B', status: 'merged', mergedInto: 'C', version: 5 },
    { id: 'C', status: 'triage', mergedInto: null, version: 7 },
    { id: 'D', status: 'triage', mergedInto: null, version: 1 },
  ],
  reports: [
    { id: 'r3', leadId: 'C', source: 'media', receivedAt: '2026-03-02T03:00:00.000Z' },
    { id: 'r1', leadId: 'A', source: 'hotline', receivedAt: '2026-03-02T01:00:00.000Z' },
    { id: 'r2', leadId: 'B', source: 'hotline', receivedAt: '2026-03-02T02:00:00.000Z' },
    { id: 'r4', leadId: 'D', source: 'supervisor', receivedAt: '2026-03-02T00:00:00.000Z' },
  ],
};

describe('families of merged leads', () => {
  it('a family is the lead and every lead merged into it, however deep', () => {
    expect(familyOf(tree.links, 'C').sort()).toEqual(['A', 'B', 'C']);
    expect(familyOf(tree.links, 'B').sort()).toEqual(['A', 'B']);
    expect(familyOf(tree.links, 'D')).toEqual(['D']);
    expect(familyCount(tree, familyOf(tree.links, 'C'))).toEqual({ reportCount: 3, channels: ['hotline', 'media'] });
  });

  it('ends on a cycle', () => {
    const cycle = [{ id: 'X', status: 'merged' as const, mergedInto: 'Y' }, { id: 'Y', status: 'merged' as const, mergedInto: 'X' }];
    expect(familyOf(cycle, 'X').sort()).toEqual(['X', 'Y']);
    expect(mergedUpwards(cycle, 'X')).toEqual(['X', 'Y']);
  });

  it('a merge counts the target over both families, guarded by the version read', () => {
    const plan = recountPlan(tree, { id: 'D', status: 'merged', mergedInto: 'C' }, ['C']);
    expect(plan.guards).toEqual([{ kind: 'exists', table: 'leads', where: { id: 'C', version: 7 }, reason: '线索 C 已被他人修改' }]);
    expect(plan.writes).toEqual([{
      kind: 'update', table: 'leads', where: { id: 'C' },
      set: { report_count: 4, channels: '["supervisor","hotline","media"]', version: { add: 1 } },
    }]);
  });

  it('an unmerge in the middle: every lead above counts one half fewer', () => {
    const up = mergedUpwards(tree.links, 'B');
    expect(up).toEqual(['B', 'C']);
    const plan = recountPlan(tree, { id: 'A', status: 'triage', mergedInto: null }, up);
    expect(plan.writes.map((w) => w.kind === 'update' && w.set.report_count)).toEqual([1, 2]);
    expect(plan.guards.map((g) => g.where.version)).toEqual([5, 7]);
  });
});
