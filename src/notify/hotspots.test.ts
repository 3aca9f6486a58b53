import { describe, expect, it } from 'vitest';
import { noticeLeadIds, renderHotspots, type HotspotsInput } from './templates.ts';

const ctx = { publicUrl: 'https://xiansuo.example.gov.cn/', timeZone: 'Asia/Shanghai' };
const input: HotspotsInput = {
  date: '2026-06-10',
  rule: '某一单位、执法领域或乡镇街道近 7 天的线索不少于 5 件……',
  hotspots: [
    { label: '乡镇街道：凤凰街道', figures: '近 7 天 6 件，按往常应为约 0.5 件', recent: 6, queuePath: '/leads?township=%E5%87%A4&from=2026-06-04&to=2026-06-10', campaignPath: '/campaigns/new?name=x' },
    { label: '单位：区<b>城管</b>局', figures: '近 7 天 12 件', recent: 12, queuePath: '/leads?agency=urban', campaignPath: '/campaigns/new?agencies=urban' },
  ],
  items: [
    { leadId: 'XS-2026-000001', title: '药店被要求停业，电话13800000000', hotspot: 0 },
    { leadId: 'XS-2026-000002', title: '<script>x</script>', hotspot: 1 },
  ],
};

describe('renderHotspots (热点提示)', () => {
  const m = renderHotspots(input, ctx);
  it('names each hotspot with its figures, its leads and both links, in text and HTML', () => {
    expect(m.subject).toBe('【热点提示】2026年6月10日：2 处问题线索明显多于往常');
    expect(m.text).toContain('1. 乡镇街道：凤凰街道\n   近 7 天 6 件，按往常应为约 0.5 件\n   - XS-2026-000001');
    expect(m.text).toContain('查看全部 6 条：https://xiansuo.example.gov.cn/leads?township=%E5%87%A4&from=2026-06-04&to=2026-06-10');
    expect(m.text).toContain('开设专项整治：https://xiansuo.example.gov.cn/campaigns/new?agencies=urban');
    expect(m.html).toContain('href="https://xiansuo.example.gov.cn/leads?agency=urban"');
    expect(m.brief.split('\n')[1]).toBe('乡镇街道：凤凰街道：近 7 天 6 件，按往常应为约 0.5 件');
  });
  it('escapes the HTML and masks phone numbers in titles', () => {
    expect(m.html).not.toContain('<script');
    expect(m.html).not.toContain('<b>城管');
    for (const part of [m.text, m.html, m.brief]) expect(part).not.toContain('13800000000');
  });
  it('tells the outbox which leads it is about (to mask their reporters)', () => {
    expect(noticeLeadIds(input)).toEqual(['XS-2026-000001', 'XS-2026-000002']);
  });
});
