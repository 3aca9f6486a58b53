import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disclosureFor, discloseReporter, formatLeadId, LEAD_ID_PATTERN, maskName, maskPhone } from './lead.ts';

describe('lead identity and sealed reporters', () => {
  it('formats readable, URL-safe ids', () => {
    expect(formatLeadId(2026, 123)).toBe('XS-2026-000123');
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999_999 }), (n) => {
      const id = formatLeadId(2026, n);
      expect(id).toMatch(LEAD_ID_PATTERN);
      expect(encodeURIComponent(id)).toBe(id);
    }));
  });

  it('masks phones as 138****0000 and names after the first character', () => {
    expect(maskPhone('13800000000')).toBe('138****0000');
    expect(maskPhone('0746-8888888')).toBe('074*****8888');
    expect(maskName('张先生')).toBe('张**');
    expect(maskName('李')).toBe('李*');
    fc.assert(fc.property(fc.string({ minLength: 8, maxLength: 20, unit: fc.constantFrom(...'0123456789') }), (p) => {
      const m = maskPhone(p);
      expect(m).toHaveLength(p.length);
      expect(m.slice(3, -4)).toMatch(/^\*+$/);
    }));
  });

  it('shows reporters unmasked to the bureau only, and nothing to viewers', () => {
    const r = { name: '张先生', phone: '13800000000', confidential: false, supervisorId: null, outlet: null };
    expect(discloseReporter(r, disclosureFor('bureau'))).toMatchObject({ name: '张先生', phone: '13800000000' });
    for (const role of ['agency', 'supervisor'] as const) {
      expect(discloseReporter(r, disclosureFor(role))).toMatchObject({ name: '张**', phone: '138****0000' });
    }
    expect(discloseReporter(r, disclosureFor('viewer'))).toBeNull();
  });

  it('shows a confidential reporter as 保密 outside the bureau, not as a partial mask', () => {
    const r = { name: '张先生', phone: '13800000000', confidential: true, supervisorId: null, outlet: null };
    expect(discloseReporter(r, 'masked')).toMatchObject({ name: '保密', phone: '保密', confidential: true });
    expect(discloseReporter({ ...r, phone: null }, 'masked')).toMatchObject({ name: '保密', phone: null });
    expect(discloseReporter(r, 'full')).toMatchObject({ name: '张先生', phone: '13800000000' });
  });
});
