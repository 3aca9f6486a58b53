// Reports found by media monitoring or sent by a newsroom.
import { z } from 'zod';
import type { LeadDraft } from '../src/domain/types.ts';
import { defineSource, externalId, httpUrl, instant, placeFields, text, toUtc } from '../src/domain/sources.ts';

export const schema = z.object({
  articleId: externalId,
  outlet: text(100),
  url: httpUrl.optional(),
  publishedAt: instant,
  title: text(500),
  content: text(100_000),
  ...placeFields,
});

export type MediaPayload = z.infer<typeof schema>;

export function toDraft(p: MediaPayload): LeadDraft {
  return {
    source: 'media', externalId: p.articleId, reportedAt: toUtc(p.publishedAt),
    title: p.title, content: p.content, address: p.address, township: p.township, subject: p.subject,
    priority: 'normal', reporter: { confidential: false, outlet: p.outlet }, evidence: [], url: p.url,
  };
}

export const samples = {
  valid: {
    articleId: 'YZRB-20260303-07', outlet: '永州日报', url: 'https://example.com/yzrb/20260303/07.html',
    publishedAt: '2026-03-03T07:30:00+08:00',
    title: '菱角塘市场门口城管收走老人菜摊引发围观',
    content: '本报讯 3月1日下午，冷水滩区梅湾街道菱角塘市场门口，数名城管队员收走一位七旬老人的三轮车和蔬菜，老人在拉扯中摔倒。围观市民质疑执法方式过于粗暴。记者联系区城管局，对方表示正在核实。',
    township: '梅湾街道', subject: '区城管局',
  },
} satisfies Record<string, unknown>;

export const media = defineSource({
  name: 'media', label: '新闻媒体', secretVariable: 'WEBHOOK_SECRET_MEDIA', schema, toDraft, samples,
});
