// Leads from appointed social supervisors (行政执法社会监督员).
import { z } from 'zod';
import type { LeadDraft } from '../src/domain/types.ts';
import { defineSource, externalId, httpUrl, instant, optionalText, placeFields, text, toUtc } from '../src/domain/sources.ts';

export const schema = z.object({
  submissionId: externalId,
  supervisor: z.object({ id: text(40), name: optionalText(50) }),
  submittedAt: instant,
  title: optionalText(500),
  content: text(50_000),
  ...placeFields,
  evidence: z.array(z.object({
    url: httpUrl,
    kind: z.enum(['photo', 'video', 'document']).optional(),
  })).max(50).optional(),
});

export type SupervisorPayload = z.infer<typeof schema>;

/** A title for submissions that have none: the content's first sentence, shortened. */
export function titleFrom(content: string): string {
  const first = content.split(/[。！？!?\n]/)[0] ?? content;
  const chars = Array.from(first.trim());
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
}

export function toDraft(p: SupervisorPayload): LeadDraft {
  return {
    source: 'supervisor', externalId: p.submissionId, reportedAt: toUtc(p.submittedAt),
    title: p.title ?? titleFrom(p.content), content: p.content, address: p.address, township: p.township,
    subject: p.subject, priority: 'normal',
    reporter: { name: p.supervisor.name, confidential: false, supervisorId: p.supervisor.id },
    evidence: p.evidence ?? [],
  };
}

export const samples = {
  valid: {
    submissionId: 'SV-2026-0042', supervisor: { id: 'S07', name: '李监督员' },
    submittedAt: '2026-03-04T16:20:00+08:00',
    content: '监督员反映：区市场监管局对伊塘镇一家小餐馆一个月内检查了五次，每次都是不同科室，餐馆老板反映严重影响经营，属于涉企检查过多。',
    township: '伊塘镇', subject: '市场监管局',
    evidence: [{ url: 'https://example.com/evidence/42.jpg', kind: 'photo' }],
  },
} satisfies Record<string, unknown>;

export const supervisor = defineSource({
  name: 'supervisor', label: '社会监督员', secretVariable: 'WEBHOOK_SECRET_SUPERVISOR', schema, toDraft, samples,
});
