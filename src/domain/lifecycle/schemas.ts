// zod schemas of every workflow body (API.md §3). The HTTP layer validates with them and answers
// `{path, message}` errors (inputErrors); the transitions validate again, so a call from the CLI
// or a job gets the same checks.

import { z } from 'zod';
import { LEAD_ID_PATTERN } from '../lead.ts';

/** Upper bound of `workingDays` on assign and on return (the policy allows at most 366). */
export const MAX_ASSIGN_WORKING_DAYS = 90;
/** Bounds of one extension request (延期申请). */
export const MIN_EXTENSION_WORKING_DAYS = 1;
export const MAX_EXTENSION_WORKING_DAYS = 30;
export const MAX_EVIDENCE = 20;

const strict = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return `不认识的字段：${iss.keys.join('、')}`;
      if (iss.code === 'invalid_type') return '请求体须为 JSON 对象';
      return undefined;
    },
  });

const text = (max: number, what: string) =>
  z.string({ error: `${what}须为文字` }).trim()
    .min(1, `${what}不能为空`)
    .max(max, `${what}不能超过 ${max} 个字`);

const optionalText = (max: number, what: string) =>
  z.string({ error: `${what}须为文字` }).trim().max(max, `${what}不能超过 ${max} 个字`).optional();

const workingDays = (min: number, max: number) =>
  z.number({ error: '工作日数须为数字' })
    .int('工作日数须为整数')
    .min(min, `工作日数不能少于 ${min}`)
    .max(max, `工作日数不能超过 ${max}`);

export const agencyCodeSchema = z.string({ error: '承办单位代码须为文字' }).trim()
  .min(1, '承办单位代码不能为空').max(64, '承办单位代码过长')
  .regex(/^\S+$/, '承办单位代码不能含空白');

export const evidenceSchema = strict({
  url: z.url({ protocol: /^https?$/, error: '证据链接须为 http 或 https 网址' }).max(2000, '证据链接过长'),
  kind: z.enum(['photo', 'video', 'document'], { error: '证据类型须为 photo、video 或 document' }).optional(),
});

/** 交办 */
export const assignInputSchema = strict({
  agency: agencyCodeSchema,
  role: z.enum(['primary', 'assist'], { error: 'role 须为 primary（主办）或 assist（协办）' }).optional(),
  workingDays: workingDays(1, MAX_ASSIGN_WORKING_DAYS).optional(),
  priority: z.enum(['normal', 'urgent'], { error: 'priority 须为 normal 或 urgent' }).optional(),
});

/** 签收 (no fields) */
export const acknowledgeInputSchema = strict({});

/** 整改反馈 */
export const feedbackInputSchema = strict({
  summary: text(500, '整改情况摘要'),
  measures: text(10_000, '整改措施'),
  evidence: z.array(evidenceSchema).max(MAX_EVIDENCE, `证据不能超过 ${MAX_EVIDENCE} 项`).optional(),
});

/** 审核：通过 / 退回. A return needs its reason; `workingDays` sets the new feedback deadline. */
export const reviewInputSchema = z.discriminatedUnion('decision', [
  strict({
    decision: z.literal('approve'),
    comment: optionalText(2000, '审核意见'),
  }),
  strict({
    decision: z.literal('return'),
    comment: text(2000, '退回理由'),
    workingDays: workingDays(1, MAX_ASSIGN_WORKING_DAYS).optional(),
  }),
], { error: 'decision 须为 approve（通过）或 return（退回）' });

/** 延期申请 */
export const extensionRequestInputSchema = strict({
  workingDays: workingDays(MIN_EXTENSION_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS),
  reason: text(1000, '延期理由'),
});

/** 延期决定 */
export const extensionDecisionInputSchema = strict({
  approve: z.boolean({ error: 'approve 须为 true 或 false' }),
  comment: optionalText(2000, '意见'),
});

/** 不予受理 */
export const rejectInputSchema = strict({
  reason: text(1000, '不予受理理由'),
});

/** 移送 */
export const transferInputSchema = strict({
  to: z.enum(['discipline', 'judicial'], { error: 'to 须为 discipline（纪委监委）或 judicial（司法机关）' }),
  note: text(2000, '移送说明'),
});

/** 归并 */
export const mergeInputSchema = strict({
  into: z.string({ error: 'into 须为线索编号' }).trim().regex(LEAD_ID_PATTERN, 'into 须为线索编号，如 XS-2026-000123'),
});

/** 撤销归并 (no fields) */
export const unmergeInputSchema = strict({});

/** 办结 by the bureau directly (from triage or after a transfer). */
export const closeInputSchema = strict({
  reason: text(1000, '办结说明'),
});

/** 回访 */
export const followUpInputSchema = strict({
  reportId: z.string({ error: 'reportId 须为文字' }).trim().min(1, 'reportId 不能为空').max(64, 'reportId 过长'),
  satisfied: z.boolean({ error: 'satisfied 须为 true 或 false' }),
  comment: optionalText(2000, '回访记录'),
});

export type AssignInput = z.infer<typeof assignInputSchema>;
export type AcknowledgeInput = z.infer<typeof acknowledgeInputSchema>;
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;
export type ReviewInput = z.infer<typeof reviewInputSchema>;
export type ExtensionRequestInput = z.infer<typeof extensionRequestInputSchema>;
export type ExtensionDecisionInput = z.infer<typeof extensionDecisionInputSchema>;
export type RejectInput = z.infer<typeof rejectInputSchema>;
export type TransferInput = z.infer<typeof transferInputSchema>;
export type MergeInput = z.infer<typeof mergeInputSchema>;
export type UnmergeInput = z.infer<typeof unmergeInputSchema>;
export type CloseInput = z.infer<typeof closeInputSchema>;
export type FollowUpInput = z.infer<typeof followUpInputSchema>;

/** Every workflow body schema by transition name. */
export const inputSchemas = {
  assign: assignInputSchema,
  acknowledge: acknowledgeInputSchema,
  feedback: feedbackInputSchema,
  review: reviewInputSchema,
  requestExtension: extensionRequestInputSchema,
  decideExtension: extensionDecisionInputSchema,
  reject: rejectInputSchema,
  transfer: transferInputSchema,
  merge: mergeInputSchema,
  unmerge: unmergeInputSchema,
  close: closeInputSchema,
  followUp: followUpInputSchema,
} as const;

/** zod issues as `{path: '/evidence/0/url', message}` (the problem+json `errors` shape). */
export function inputErrors(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: '/' + i.path.map(String).join('/'), message: i.message }));
}
