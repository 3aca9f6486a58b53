// /public/feed.xml: the published results as an Atom feed (RFC 4287), newest first.
import type { Publication } from '../../domain/publication/publish.ts';

const xml = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!)
  // characters XML 1.0 does not allow
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

export function atomFeed(items: Publication[], opts: { baseUrl: string; agencyName(code: string): string; dateOf(instant: string): string }): string {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const updated = items.reduce((m, p) => (p.updatedAt > m ? p.updatedAt : m), '1970-01-01T00:00:00.000Z');
  const entries = items.map((p) => {
    const agency = p.agency ? opts.agencyName(p.agency) : '承办单位';
    const facts = [
      `承办单位：${agency}`, `执法领域：${p.domain ?? '未分类'}`, `问题类型：${p.problemTypes.join('、') || '—'}`,
      `受理日期：${opts.dateOf(p.receivedAt)}`, `办结日期：${p.closedAt ? opts.dateOf(p.closedAt) : '—'}`,
    ].join('\n');
    return `<entry>
<id>${xml(`${base}/public#${p.leadId}`)}</id>
<title>${xml(`${agency}：${p.domain ?? '行政执法'}问题线索办理结果（${p.leadId}）`)}</title>
<link rel="alternate" type="text/html" href="${xml(`${base}/public#${p.leadId}`)}"/>
<published>${p.publishedAt}</published>
<updated>${p.updatedAt}</updated>
<content type="text">${xml(`${facts}\n\n${p.summary}`)}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
<id>${xml(`${base}/public/feed.xml`)}</id>
<title>行政执法问题线索办理结果公示</title>
<author><name>区司法局</name></author>
<link rel="self" type="application/atom+xml" href="${xml(`${base}/public/feed.xml`)}"/>
<link rel="alternate" type="text/html" href="${xml(`${base}/public`)}"/>
<updated>${updated}</updated>
${entries.join('\n')}
</feed>
`;
}
