// The answers of the API as zod schemas, for the OpenAPI document. Requests are described by the
// very schemas the routes validate with (webhooks/*.ts, src/domain/lifecycle/schemas.ts, the
// exported ones of src/http/routes/); these describe what the routes answer, and the tests check
// every answer they receive against the document built from them (test/helpers/openapi.ts).
import { z } from 'zod';
import { LEAD_STATUSES } from '../../domain/types.ts';
import { CHANNEL_NAMES } from '../../../webhooks/index.ts';

const instant = z.string().describe('时间（ISO 8601，UTC，如 2026-03-02T01:15:00.000Z）');
const nullableText = z.string().nullable();

export const problemSchema = z.looseObject({
  type: z.string().describe('问题类型，如 /problems/invalid-signature'),
  title: z.string().describe('简短的中文标题'),
  status: z.number().int().describe('HTTP 状态码'),
  detail: z.string().describe('中文说明：哪里不对、该怎么办'),
}).describe('错误（RFC 9457 application/problem+json）');

export const fieldErrorSchema = z.object({
  path: z.string().describe('出错字段的 JSON Pointer，如 /caller/phone'),
  message: z.string().describe('中文说明'),
});

export const validationProblemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.literal(422),
  detail: z.string(),
  errors: z.array(fieldErrorSchema).describe('每一处错误'),
}).describe('内容不符合要求（422），errors 列出每一处错误');

export const intakeAnswerSchema = z.object({
  reportId: z.string().describe('本平台的报送编号，如 RP-2026-000001'),
  leadId: z.string().describe('所在问题线索编号，如 XS-2026-000001'),
  duplicate: z.boolean().describe('为 true 时已并入已有线索'),
}).describe('受理结果；重复投递时原样返回首次的结果');

export const reporterSchema = z.object({
  name: nullableText.describe('姓名（区司法局以外的角色看到的是遮蔽后的，如 张**）'),
  phone: nullableText.describe('电话（遮蔽后如 138****0000）'),
  confidential: z.boolean().describe('报送人要求保密'),
  supervisorId: nullableText.optional().describe('社会监督员编号'),
  outlet: nullableText.optional().describe('媒体名称'),
}).nullable().describe('报送人；viewer 角色为 null');

export const reportSchema = z.object({
  id: z.string(),
  source: z.enum(CHANNEL_NAMES).describe('来源渠道'),
  externalId: z.string().describe('来源自己的编号'),
  receivedAt: instant,
  reportedAt: instant,
  revision: z.number().int().describe('修订次数（来源更新同一工单时加 1）'),
  duplicate: z.boolean(),
  title: z.string(),
  url: nullableText,
  evidence: z.array(z.object({ url: z.string(), kind: z.string().optional() })),
  reporter: reporterSchema,
});

export const assignmentSchema = z.object({
  id: z.string(),
  agency: z.string().describe('承办单位代码'),
  role: z.enum(['primary', 'assist']).describe('主办 / 协办'),
  status: z.string().describe('assigned | acknowledged | feedback | closed'),
  assignedAt: instant,
  ackDueAt: instant.nullable().describe('签收期限'),
  dueAt: instant.nullable().describe('整改反馈期限'),
  calendarProvisional: z.boolean().describe('期限所在年度的节假日安排尚未公布，按工作日暂算'),
});

const leadFields = {
  id: z.string().describe('线索编号'),
  status: z.enum(LEAD_STATUSES).describe('线索状态'),
  mergedInto: nullableText.describe('已归并时，并入的线索'),
  title: z.string(),
  content: z.string(),
  priority: z.enum(['normal', 'urgent']),
  address: nullableText,
  township: nullableText,
  subject: nullableText.describe('被反映单位（报送人所说）'),
  category: nullableText,
  channels: z.array(z.enum(CHANNEL_NAMES)).describe('来源渠道，按首次报送先后'),
  reportCount: z.number().int(),
  routing: z.object({
    agency: nullableText.describe('建议承办单位'),
    transfer: z.enum(['discipline', 'judicial']).nullable().describe('建议移送'),
    reason: nullableText.describe('分办理由'),
  }),
  problemTypes: z.array(z.string()).describe('突出问题类型'),
  domain: nullableText.describe('执法领域'),
  duplicateCandidates: z.array(z.object({ leadId: z.string(), score: z.number() })).describe('疑似重复的线索，待人工确认'),
  createdAt: instant,
  updatedAt: instant,
};

export const leadSummarySchema = z.object(leadFields).describe('问题线索（列表项）');

export const leadSchema = z.object({
  ...leadFields,
  reports: z.array(reportSchema).describe('全部报送，含已归并线索的（监督员只见本人的报送）'),
  assignments: z.array(assignmentSchema),
  rectification: z.object({
    agency: z.string().describe('整改单位'),
    summary: z.string().describe('审核通过的整改情况（已遮蔽个人信息，局机关除外）'),
    approvedAt: instant,
  }).nullable().describe('审核通过的整改反馈；线索未以审核通过办结时为 null'),
}).describe('问题线索');

export const createdLeadSchema = leadSchema.extend({
  reportId: z.string(),
  duplicate: z.boolean(),
}).describe('新录入的线索');

export const leadListSchema = z.object({
  items: z.array(leadSummarySchema),
  nextCursor: nullableText.describe('下一页的 cursor；没有更多时为 null'),
});

export const eventListSchema = z.object({
  leadId: z.string(),
  items: z.array(z.object({
    seq: z.number().int().describe('在全过程记录中的序号'),
    at: instant,
    actor: z.string().describe('操作者（令牌编号或 system:…）'),
    action: z.string().describe('事件，如 lead.assigned'),
    reportId: nullableText,
    data: z.record(z.string(), z.unknown()).describe('事件内容'),
    hash: z.string().describe('哈希链上本条的哈希'),
  })),
}).describe('线索的全过程记录，按时间先后');

export const calendarSchema = z.object({
  year: z.number().int(),
  covered: z.boolean().describe('该年度节假日安排已收录'),
  provisional: z.boolean().describe('未收录，按工作日暂算'),
  workingDays: z.number().int(),
  restDays: z.array(z.string()).describe('工作日中的休息日（节假日）'),
  makeUpWorkingDays: z.array(z.string()).describe('周末调休上班日'),
  overrides: z.looseObject({ year: z.number().int(), days: z.record(z.string(), z.enum(['work', 'rest'])) }).describe('区司法局维护的调整表'),
});

export const calendarSavedSchema = z.object({
  year: z.number().int(),
  saved: z.looseObject({ year: z.number().int(), days: z.record(z.string(), z.enum(['work', 'rest'])) }),
  recomputedAssignments: z.number().int().describe('因此重新计算期限的交办数'),
});

export const routingExplainSchema = z.looseObject({
  agency: nullableText,
  transfer: z.enum(['discipline', 'judicial']).nullable(),
  confident: z.boolean(),
  reason: z.string(),
  candidates: z.array(z.looseObject({})),
  transfers: z.array(z.looseObject({})),
  hits: z.array(z.looseObject({})),
  township: nullableText,
  subject: nullableText,
  problemTypes: z.array(z.string()),
  domain: nullableText,
}).describe('分办决定及理由（不保存任何内容）');

const counts = z.record(z.string(), z.number());
export const statsSchema = z.looseObject({
  period: z.object({ from: instant, to: instant }),
  leads: z.number().int(),
  reports: z.number().int(),
  mergedReports: z.number().int(),
  byChannel: counts,
  byStatus: counts,
  byProblemType: counts,
  byDomain: counts,
  transfersProposed: counts,
  agencies: z.record(z.string(), z.looseObject({})),
  closedOnTimeRate: z.number().nullable(),
  followUps: z.looseObject({}),
  routing: z.looseObject({}),
}).describe('统计数据');

export const followUpListSchema = z.object({
  items: z.array(z.object({
    leadId: z.string(), reportId: z.string(), round: z.number().int(), createdAt: instant,
    via: z.enum(['supervisor', 'phone']), source: z.string(),
  })),
}).describe('待回访任务');

export const sourceListSchema = z.object({
  items: z.array(z.object({
    source: z.string(),
    name: z.string(),
    enabled: z.boolean().describe('已设置推送密钥（未设置时该来源应答 404）'),
    inbound: z.object({
      total: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()).describe('按应答状态码计数'),
      lastRefusal: z.object({ at: instant, status: z.number().int(), detail: nullableText }).nullable().describe('最近一次拒收'),
    }),
    callback: z.object({
      url: z.string().describe('回调地址（只显示协议、主机和路径）'),
      pending: z.number().int(), failed: z.number().int(), delivered: z.number().int(),
      lastError: z.object({ at: instant, error: z.string(), type: z.string(), id: z.string() }).nullable(),
    }).nullable().describe('回调；未配置时为 null'),
  })),
}).describe('各来源的接收记录与回调状态');

export const outboxListSchema = z.object({
  counts: z.object({ pending: z.number().int().describe('待发送'), dead: z.number().int().describe('已放弃') }),
  items: z.array(z.object({
    id: z.string(),
    key: z.string().describe('去重键：同一提醒只发一次'),
    status: z.enum(['pending', 'dead']).describe('pending 待发送，dead 已放弃'),
    channel: z.string().describe('email，或机器人类型（如 wecom、dingtalk）'),
    to: z.array(z.string()).describe('收件人（机器人地址只显示主机）'),
    cc: z.array(z.string()),
    template: z.string().describe('模板，如 reminder.warning'),
    leadId: nullableText,
    agency: nullableText,
    attempts: z.number().int().describe('已尝试次数'),
    createdAt: instant,
    firstAttemptAt: instant.nullable(),
    nextAttemptAt: instant.nullable().describe('下次尝试时间；已放弃的为 null'),
    lastError: nullableText.describe('最近一次失败的原因'),
  })),
  nextCursor: nullableText.describe('下一页的 cursor；没有更多时为 null'),
}).describe('待发送和已放弃的邮件、机器人消息');

export const tokenListSchema = z.object({
  items: z.array(z.object({
    id: z.string().describe('令牌编号（不是令牌本身）'),
    role: z.enum(['admin', 'bureau', 'agency', 'supervisor', 'viewer']),
    agency: nullableText.describe('agency 角色绑定的承办单位'),
    supervisorId: nullableText.describe('supervisor 角色绑定的监督员编号'),
    label: nullableText,
    createdAt: instant,
    lastUsedAt: instant.nullable(),
    expiresAt: instant.nullable(),
    revokedAt: instant.nullable(),
  })),
}).describe('全部令牌（从不包含令牌本身或其哈希）');

const statsTableSchema = z.looseObject({}).describe('统计表');
export const reportSchemaOut = z.object({
  year: z.number().int(),
  title: z.string().describe('标题，如 冷水滩区2026年度行政执法监督问题线索办理情况统计年报'),
  intro: z.string(),
  sections: z.array(z.object({ heading: z.string(), paragraphs: z.array(z.string()), tables: z.array(statsTableSchema) })),
  issuer: z.string().describe('落款单位'),
  date: z.string().describe('落款日期 YYYY-MM-DD'),
}).describe('报告内容（与 .docx 相同）');

export const publicationSchema = z.object({
  leadId: z.string(),
  status: z.enum(['published', 'withdrawn']).describe('published 已公示，withdrawn 已撤回'),
  summary: z.string().describe('公示的办理结果（不含个人信息）'),
  agency: nullableText,
  domain: nullableText,
  problemTypes: z.array(z.string()),
  receivedAt: instant,
  closedAt: instant.nullable(),
  publishedAt: instant,
  updatedAt: instant,
}).describe('公示');

export const publicationDraftSchema = z.object({
  leadId: z.string(),
  status: z.enum(LEAD_STATUSES),
  publishable: z.boolean().describe('只有已办结的线索可以公示'),
  draft: z.string().describe('建议的公示内容：审核通过的整改情况，已遮蔽个人信息'),
  publication: publicationSchema.nullable().describe('当前的公示；未公示过为 null'),
}).describe('公示草稿与当前公示');

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  domain: nullableText.describe('执法领域'),
  agencies: z.array(z.string()).describe('承办单位代码'),
  keywords: z.array(z.string()),
  startsOn: z.string().describe('开始日期 YYYY-MM-DD（含）'),
  endsOn: z.string().describe('结束日期 YYYY-MM-DD（含）'),
  callText: z.string().describe('工作要求'),
  status: z.enum(['open', 'closed']),
  createdAt: instant,
  closedAt: instant.nullable(),
}).describe('专项整治');

export const campaignListSchema = z.object({ items: z.array(campaignSchema) });
export const campaignViewSchema = z.object({
  campaign: campaignSchema,
  leads: z.number().int().describe('纳入的线索数'),
  stats: statsSchema,
}).describe('专项整治及其统计');
export const campaignApplySchema = z.object({
  matched: z.number().int().describe('符合规则的线索数'),
  added: z.number().int().describe('新纳入的线索数'),
});
export const campaignTagSchema = z.object({ changed: z.boolean().describe('为 false 时本来就是如此') });
