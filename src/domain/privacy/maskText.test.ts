import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONFIDENTIAL, maskDeep, maskEmail, maskIdNumber, maskText, textMasker } from './maskText.ts';

describe('maskText: numbers and addresses', () => {
  it.each([
    ['13800000000', '138****0000'],
    ['138-0000-0000', '138****0000'],
    ['138 0000 0000', '138****0000'],
    ['+86 138 0000 0000', '138****0000'],
    ['8613800000000', '138****0000'],
    ['１３８００００００００', '138****0000'],
    ['0746-1234567', '074****4567'],
    ['(0746)1234567', '074****4567'],
    ['（0746）1234567', '074****4567'],
    ['07461234567', '074****4567'],
    ['010-12345678', '010****5678'],
  ])('masks the phone %s', (phone, shown) => {
    expect(maskText(`请拨打${phone}联系`)).toBe(`请拨打${shown}联系`);
  });

  it('masks 18-digit (check digit X too) and 15-digit 身份证 numbers', () => {
    expect(maskText('身份证号43110219900101123X，')).toBe(`身份证号${maskIdNumber('43110219900101123X')}，`);
    expect(maskText('身份证431102900101123。')).toBe('身份证4*************3。');
    expect(maskText('43110219900101123x')).not.toContain('19900101');
  });

  it('masks e-mail addresses', () => {
    expect(maskText('邮箱zhangsan.lee@qq.com，请回复')).toBe(`邮箱${maskEmail('zhangsan.lee@qq.com')}，请回复`);
    expect(maskEmail('zhangsan@example.com')).toBe('z***@example.com');
  });

  it('leaves order numbers, lead and report ids, dates, times and amounts alone', () => {
    const text = '工单GD2026030200123，线索XS-2026-000001（RP-2026-000012），2026-03-02 09:15 于20260302受理，罚款5000元，编号20260302001230';
    expect(maskText(text)).toBe(text);
  });

  it('never shows a random mobile, landline or ID number, whatever surrounds it', () => {
    const han = fc.string({ unit: fc.constantFrom(...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动'), maxLength: 8 });
    const mobile = fc.tuple(fc.constantFrom('13', '15', '18', '19'), fc.stringMatching(/^\d{9}$/)).map(([a, b]) => a + b);
    const landline = fc.tuple(fc.constantFrom('0746', '010', '0731'), fc.stringMatching(/^[2-8]\d{6}$/)).map(([a, b]) => `${a}-${b}`);
    fc.assert(fc.property(han, fc.oneof(mobile, landline), han, (before, phone, after) => {
      const out = maskText(`${before}${phone}${after}`);
      expect(out).not.toContain(phone);
      expect(out).not.toContain(phone.replace(/\D/g, '').slice(3, 7));
    }), { numRuns: 200 });
  });
});

describe('maskText: the reporters themselves', () => {
  const caller = { name: '王建国', phone: '15912345678', confidential: false };
  const secret = { name: '李秀英', phone: '0746-8888888', confidential: true };

  it('masks the reporter\'s own name and phone wherever they are written', () => {
    expect(maskText('王建国反映：王建国家门口占道，电话159 1234 5678', [caller]))
      .toBe('王**反映：王**家门口占道，电话159****5678');
  });

  it('shows a confidential reporter as 保密, name and phone, in any format', () => {
    const out = maskText('举报人李秀英（07468888888，0746 8888888）', [secret]);
    expect(out).toBe(`举报人${CONFIDENTIAL}（${CONFIDENTIAL}，${CONFIDENTIAL}）`);
  });

  it('keeps a person confidential across reports when one of them asked for it', () => {
    const m = textMasker([{ name: '李秀英', phone: null, confidential: false }, secret]);
    expect(m('李秀英说')).toBe(`${CONFIDENTIAL}说`);
  });

  it('masks a reporter\'s phone even in a format the general patterns do not know', () => {
    expect(maskText('短号665566，请回电', [{ name: null, phone: '665566', confidential: false }])).toBe('短号6***66，请回电');
  });

  it('ignores one-character names (the structured field still shows them masked)', () => {
    expect(maskText('张的问题', [{ name: '张', phone: null, confidential: false }])).toBe('张的问题');
  });
});

describe('maskDeep', () => {
  it('masks every string of a JSON value and keeps its shape', () => {
    const m = textMasker([{ name: '王建国', phone: null, confidential: true }]);
    expect(maskDeep({ a: ['王建国 13800000000', 3, null], b: { c: '无' } }, m))
      .toEqual({ a: [`${CONFIDENTIAL} 138****0000`, 3, null], b: { c: '无' } });
  });
});
