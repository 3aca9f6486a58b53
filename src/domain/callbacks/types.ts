// Callbacks to the sources (API.md §7): what each event says, as zod schemas. The same schemas
// describe the callbacks in the OpenAPI document (src/http/openapi/), so they cannot drift apart.
import { z } from 'zod';

export const CALLBACK_TYPES = [
  'report.accepted', 'report.merged', 'lead.assigned', 'lead.closed', 'lead.rejected', 'lead.transferred',
] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];

const LEAD_STATUSES = ['triage', 'assigned', 'rectifying', 'feedback', 'closed', 'rejected', 'transferred', 'merged'] as const;

/** What every callback's `data` holds: only the receiving report's own ids and the lead's progress. */
export const callbackBaseData = z.object({
  // Any registered webhook source (webhooks/index.ts): the only sources that configure a callback.
  source: z.string().describe('报送来源（hotline、media、supervisor 等 webhook 来源）'),
  externalId: z.string().describe('来源自己的编号（12345 工单号 orderNo、报道 articleId 或监督员报送 submissionId）'),
  reportId: z.string().describe('本平台为该次报送分配的编号'),
  leadId: z.string().describe('该报送所在的问题线索编号'),
  status: z.enum(LEAD_STATUSES).describe('线索当前状态'),
});

const at = z.string().describe('时间（ISO 8601，UTC）');

export const CALLBACK_DATA = {
  'report.accepted': callbackBaseData.extend({
    duplicate: z.boolean().describe('为 true 时该报送已并入已有线索（另有 report.merged 回调）'),
  }).describe('报送已受理并保存'),
  'report.merged': callbackBaseData.extend({
    mergedFrom: z.string().nullable().describe('原所在线索（报送在受理时直接并入已有线索时为 null）'),
  }).describe('报送已归并到另一条线索，data.leadId 为其并入的线索'),
  'lead.assigned': callbackBaseData.extend({
    agency: z.string().describe('承办单位代码'),
    agencyName: z.string().describe('承办单位名称'),
    role: z.enum(['primary', 'assist']).describe('主办或协办'),
    dueAt: at.describe('整改反馈期限'),
  }).describe('线索已交办承办单位'),
  'lead.closed': callbackBaseData.extend({
    summary: z.string().describe('区司法局审核通过的整改情况（已遮蔽个人信息）'),
    closedAt: at.describe('办结时间'),
  }).describe('线索已办结'),
  'lead.rejected': callbackBaseData.extend({
    reason: z.string().describe('不予受理的理由（已遮蔽个人信息）'),
  }).describe('线索不予受理'),
  'lead.transferred': callbackBaseData.extend({
    to: z.enum(['discipline', 'judicial']).describe('移送对象：discipline 纪委监委，judicial 司法机关'),
    reason: z.string().describe('移送说明（已遮蔽个人信息）'),
  }).describe('线索已移送'),
} satisfies Record<CallbackType, z.ZodType>;

export type CallbackData<T extends CallbackType = CallbackType> = z.infer<(typeof CALLBACK_DATA)[T]>;

/** The body of one callback, as signed and sent. */
export function callbackBodySchema<T extends CallbackType>(type: T) {
  return z.object({
    type: z.literal(type).describe('事件类型'),
    timestamp: at.describe('事件发生的时间'),
    data: CALLBACK_DATA[type],
  });
}

export interface CallbackBody {
  type: CallbackType;
  timestamp: string;
  data: CallbackData;
}

export const CALLBACK_LABELS: Record<CallbackType, string> = {
  'report.accepted': '报送已受理',
  'report.merged': '报送已归并',
  'lead.assigned': '线索已交办',
  'lead.closed': '线索已办结',
  'lead.rejected': '不予受理',
  'lead.transferred': '线索已移送',
};
