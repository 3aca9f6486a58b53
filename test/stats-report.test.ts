// The annual report (统计年报) of the fixed data set: as JSON content and as a Word document
// whose word/document.xml holds the figures.
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { buildDataset } from './stats-dataset.ts';

/** One entry of a zip archive, read through its central directory. */
function unzip(zip: Buffer, name: string): string {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const skip = nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    if (zip.toString('utf8', p + 46, p + 46 + nameLen) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + skip;
  }
  throw new Error(`${name} not in the archive`);
}

/** The document's text, runs joined (Word splits text into runs). */
const textOf = (xml: string) => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

describe.each(await dialects())('the annual report on %s', (dialect) => {
  let t: TestApp;
  let viewer: string;
  beforeAll(async () => {
    t = await testApp(dialect);
    await buildDataset(t);
    t.clock.set('2027-01-12T02:00:00.000Z');
    viewer = await t.token('viewer');
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('gives the report as data, in the shape of the seed report', async () => {
    const res = await t.get('/api/reports/annual/2026', viewer);
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r.title).toBe('2026年度行政执法问题线索办理情况统计年报');
    expect(r.sections.map((s: { heading: string }) => s.heading)).toEqual([
      '一、2026年问题线索统计数据', '（一）问题线索收集和办理情况', '（二）突出的执法领域和问题类型', '（三）承办单位办理时效', '（四）回访满意度',
    ]);
    expect(r.sections[1].paragraphs[0]).toBe('2026年，共收到行政执法问题线索7条（来件8件次，重复反映归并1条），其中12345热线5条、新闻媒体2条、社会监督员1条。');
    expect(r.sections[1].paragraphs[1]).toBe('交办承办单位4条，整改到位2条，整改率50.0%；办结2条，办结率28.6%；移送1条（司法机关1条），占14.3%；不予受理1条，占14.3%；截至统计时仍在办理1条，待研判2条。');
    // the unrecognised township and the unclassified field never "stand out"
    expect(r.sections[2].paragraphs[0]).toBe('从执法领域看，线索较多的是城市管理（3条，占42.9%）、交通运输（1条，占14.3%）、市场监管（1条，占14.3%）。' +
      '从突出问题类型看，反映较多的是不作为（1条，占14.3%）、乱作为（1条，占14.3%）、以罚代刑（1条，占14.3%）。' +
      '从区域看，线索较多的是梅湾街道（3条，占42.9%）、凤凰街道（2条，占28.6%）。');
    expect(r.sections[3].paragraphs[0]).toContain('签收及时率66.7%');
    expect(r.sections[3].paragraphs[1]).toBe('超期2次，督办1次，审核退回重办1次，批准延期1次。超期较多的单位是区城市管理和综合执法局（1次）、区市场监督管理局（1次）。');
    expect(r.sections[4].paragraphs[0]).toBe('办结后回访2次，满意1次，满意率50.0%。');
    expect(r.date).toBe('2027年1月12日');
  });

  it('writes the Word document with the figures and tables', async () => {
    const res = await t.get('/api/reports/annual/2026.docx', viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const xml = unzip(Buffer.from(await res.arrayBuffer()), 'word/document.xml');
    const text = textOf(xml);
    expect(text).toContain('2026年度行政执法问题线索办理情况统计年报');
    expect(text).toContain('共收到行政执法问题线索7条（来件8件次，重复反映归并1条）');
    expect(text).toContain('整改率50.0%');
    expect(text).toContain('满意率50.0%');
    expect((xml.match(/<w:tbl>/g) ?? []).length).toBe(5); // overview, channel, domain, problem type, agencies
    // a table row: the channel, its count, its share
    expect(text).toContain('12345热线571.4%');
    expect(text).toContain('区城市管理和综合执法局22150.0%22100.0%10');
  });

  it('refuses a bad year and agencies', async () => {
    expect((await t.get('/api/reports/annual/26.docx', viewer)).status).toBe(422);
    expect((await t.get('/api/reports/annual/2026.pdf', viewer)).status).toBe(422);
    const agency = await t.token('agency', { agency: 'urban' });
    expect((await t.get('/api/reports/annual/2026.docx', agency)).status).toBe(403);
  });
});
