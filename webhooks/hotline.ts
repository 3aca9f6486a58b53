// 12345 hotline work orders (工单).
import { z } from 'zod';
import type { LeadDraft } from '../src/domain/types.ts';
import { defineSource, externalId, instant, optionalText, placeFields, text, toUtc } from '../src/domain/sources.ts';

export const schema = z.object({
  orderNo: externalId,
  createdAt: instant,
  caller: z.object({
    name: optionalText(50),
    phone: optionalText(40),
    confidential: z.boolean().optional(),
  }).optional(),
  title: text(500),
  content: text(50_000),
  ...placeFields,
  category: optionalText(100),
  urgency: z.enum(['normal', 'urgent']).optional(),
});

export type HotlinePayload = z.infer<typeof schema>;

export function toDraft(p: HotlinePayload): LeadDraft {
  return {
    source: 'hotline', externalId: p.orderNo, reportedAt: toUtc(p.createdAt),
    title: p.title, content: p.content, address: p.address, township: p.township,
    category: p.category, subject: p.subject, priority: p.urgency === 'urgent' ? 'urgent' : 'normal',
    reporter: { name: p.caller?.name, phone: p.caller?.phone, confidential: p.caller?.confidential ?? false },
    evidence: [],
  };
}

export const samples = {
  valid: {
    orderNo: 'GD2026030200123', createdAt: '2026-03-02T09:15:00+08:00',
    caller: { name: '张先生', phone: '13800000000', confidential: false },
    title: '城管执法人员暴力没收摊贩三轮车',
    content: '市民来电反映：3月1日下午在梅湾街道菱角塘市场门口，几名城管执法人员未出示证件，强行将一名老人的三轮车连同蔬菜一起收走，推搡中老人摔倒受伤，也没有开具任何暂扣清单。来电人要求查处粗暴执法行为并归还财物。',
    address: '冷水滩区梅湾街道菱角塘市场', township: '梅湾街道', category: '城市管理', subject: '城管',
    urgency: 'normal',
  },
  urgent: {
    orderNo: 'GD2026030200456', createdAt: '2026-03-02T10:00:00+08:00',
    caller: { phone: '13912345678', confidential: true },
    title: '渣土车夜间违规运输，交通执法人员收钱放行',
    content: '来电人反映凤凰路一带每晚有渣土车超载抛洒，路边有执法人员收钱后直接放行，要求尽快处理。',
    township: '凤凰街道', urgency: 'urgent', extraFromPlatform: { operator: '0071' },
  },
} satisfies Record<string, unknown>;

export const hotline = defineSource({
  name: 'hotline', label: '12345热线', secretVariable: 'WEBHOOK_SECRET_HOTLINE', schema, toDraft, samples,
});
