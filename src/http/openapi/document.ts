// The OpenAPI 3.1 description of API.md §2, §3 and §7, built from the same zod schemas that
// validate the requests (a schema change changes the document) and from ./schemas.ts for the
// answers. Served as /openapi.json and rendered as /docs.
import { z } from 'zod';
import { sourceNamed, WEBHOOK_SOURCES, type WebhookSourceName } from '../../../webhooks/index.ts';
import { CALLBACK_LABELS, CALLBACK_TYPES, callbackBodySchema } from '../../domain/callbacks/index.ts';
import { inputSchemas } from '../../domain/lifecycle/schemas.ts';
import { yearOverridesSchema } from '../../domain/calendar/index.ts';
import { listQuery, manualLead } from '../routes/leads.ts';
import { explainBody } from '../routes/routing.ts';
import { statsQuery, STATS_TABLE_KEYS } from '../routes/stats.ts';
import { outboxQuery } from '../routes/outbox.ts';
import { publishBody, unpublishBody } from '../routes/publication.ts';
import { campaignInput } from '../../domain/campaigns.ts';
import * as S from './schemas.ts';
import { describeFields, FIELD_DESCRIPTIONS } from './descriptions.ts';

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1), requests as sent and answers as received. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const PROBLEM = 'application/problem+json';

const ERRORS: Record<number, string> = {
  400: '请求体不是合法的 JSON，或查询参数含 NUL 字符、未配对的代理字符；errors 指出哪一处',
  401: '未提供令牌，或令牌无效、已过期、已吊销',
  403: '角色无权进行该操作',
  404: '不存在，或调用者无权查看（承办单位只能看到交办给本单位的线索）',
  409: '线索当前状态不允许该操作，detail 说明原因',
  413: '请求体超过 1 MiB',
  422: '内容不符合要求，errors 列出每一处错误',
};

const QUERY_400 = '查询参数无效（含 NUL 字符、未配对的代理字符），或 cursor 不是上一页返回的 nextCursor；errors 指出哪一个';

const WEBHOOK_ERRORS: Record<number, string> = {
  400: '请求体不是合法的 JSON（UTF-8），或 webhook-id 超过 256 个字符',
  401: '缺少签名、签名不正确，或 webhook-timestamp 与服务器时间相差超过 300 秒',
  404: '该来源不存在或未启用（未设置推送密钥）',
  409: '该来源已受理过这个 webhook-id，但这次的请求体不同',
  413: '请求体超过 256 KiB',
  415: 'Content-Type 不是 application/json',
  422: '内容不符合该来源的格式（含 NUL 字符、未配对的代理字符、嵌套超过 64 层），errors 指出位置',
  429: '超过该来源的速率限制；Retry-After 说明多少秒后重试',
  503: '存储暂不可用，本次未保存任何内容，请稍后重试（Retry-After）',
};

function problemResponse(status: number, description: string, plain422 = false): Json {
  const out: Json = {
    description,
    content: { [PROBLEM]: { schema: ref(status === 422 && !plain422 ? 'ValidationProblem' : 'Problem') } },
  };
  if (status === 429 || status === 503) {
    out.headers = { 'Retry-After': { description: '多少秒后重试', schema: { type: 'integer' } } };
  }
  return out;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A download: the body is the file (Content-Disposition names it, in Chinese with filename*). */
function fileResponse(description: string, mediaType: string): Json {
  return {
    description,
    headers: { 'Content-Disposition': { description: '附件文件名（filename* 为中文文件名）', schema: { type: 'string' } } },
    content: { [mediaType]: { schema: { type: 'string', contentMediaType: mediaType } } },
  };
}

function jsonResponse(description: string, schema: Json, headers?: Json): Json {
  return { description, content: { 'application/json': { schema } }, ...(headers ? { headers } : {}) };
}

/** The Standard Webhooks headers: of every inbound webhook and of every callback. */
export const STANDARD_WEBHOOK_HEADERS: Json[] = [
  {
    name: 'webhook-id', in: 'header', required: true,
    description: '投递编号：同一事件的每次重试都相同，接收方据此去重；最长 256 个字符',
    schema: { type: 'string', minLength: 1, maxLength: 256 }, example: 'msg_2hF8s1Uq0dLmYp3x',
  },
  {
    name: 'webhook-timestamp', in: 'header', required: true,
    description: '签名时间，Unix 秒数；与接收方时间相差超过 300 秒的应拒收',
    schema: { type: 'string', pattern: '^[0-9]{1,12}$' }, example: '1772414100',
  },
  {
    name: 'webhook-signature', in: 'header', required: true,
    description: '以空格分隔的一个或多个签名 `v1,<base64>`：HMAC-SHA256(密钥, "{webhook-id}.{webhook-timestamp}.{原始请求体}")，密钥为 whsec_ 之后的 base64 部分解码所得',
    schema: { type: 'string' }, example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  },
];

const idParam: Json = {
  name: 'id', in: 'path', required: true, description: '线索编号', schema: { type: 'string', pattern: '^XS-\\d{4}-\\d{6,}$' }, example: 'XS-2026-000001',
};

function queryParams(schema: z.ZodObject, descriptions: Record<string, string>): Json[] {
  return Object.entries(schema.shape).map(([name, s]) => {
    const js = jsonSchema(s as z.ZodType, 'input');
    return {
      name, in: 'query', required: !(s as z.ZodType).safeParse(undefined).success,
      description: descriptions[name] ?? name,
      schema: Object.keys(js).length ? js : { type: 'string' },
    };
  });
}

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  id: string;
  tag: string;
  summary: string;
  description: string;
  params?: Json[];
  body?: { schema: Json; required?: boolean; example?: unknown };
  ok: Record<number, Json>;
  errors: number[];
  /** Descriptions of errors that differ from the common ones. */
  errorText?: Record<number, string>;
  /** 422 answers of this operation may come without `errors` (a single reason in `detail`). */
  plain422?: boolean;
}

/** Every workflow call answers the updated lead (API.md §3). */
function workflow(
  path: string, id: string, summary: string, who: string, body: keyof typeof inputSchemas | null, description: string,
): Operation {
  return {
    method: 'post', path: `/api/leads/{id}/${path}`, id, tag: '办理流程', summary,
    description: `${description}\n\n调用者：${who}。成功时返回更新后的线索；线索当前状态不允许时返回 409 并说明原因。`,
    params: [idParam],
    body: body ? { schema: jsonSchema(inputSchemas[body], 'input'), required: body !== 'acknowledge' && body !== 'unmerge' } : undefined,
    ok: { 200: jsonResponse('更新后的线索', ref('Lead')) },
    errors: [400, 401, 403, 404, 409, 413, 422],
  };
}

/** The documentation of each registered source: a source registered without it does not compile. */
const WEBHOOK_DOCS: Record<WebhookSourceName, { schema: string; title: string; summary: string; description: string }> = {
  hotline: { schema: 'HotlineWorkOrder', title: '12345 热线工单', summary: '推送 12345 热线工单', description: '外部编号为 orderNo。同一工单号内容有变化时（热线补充工单）作为该报送的新修订保存，返回 200 和原编号。' },
  media: { schema: 'MediaReport', title: '媒体报道', summary: '推送媒体报道', description: '外部编号为 articleId。' },
  supervisor: { schema: 'SupervisorSubmission', title: '社会监督员报送的线索', summary: '推送社会监督员报送的线索', description: '外部编号为 submissionId。' },
};
const WEBHOOKS = WEBHOOK_SOURCES.map((s) => ({ source: s.name, ...WEBHOOK_DOCS[s.name] }));

function operations(): Operation[] {
  const webhooks: Operation[] = WEBHOOKS.map((w) => ({
    method: 'post', path: `/webhooks/${w.source}`, id: `webhook-${w.source}`, tag: '推送接入', summary: w.summary,
    description: `${w.description}\n\n按 Standard Webhooks 签名（不使用 Bearer 令牌）。请求体为 JSON（UTF-8，不超过 256 KiB），时间为带时区的 ISO 8601；不认识的字段随原始报送保存，不会被拒收。只有在报送已经持久保存后才返回 2xx：收到 2xx 的发送方无需再发。`,
    params: STANDARD_WEBHOOK_HEADERS,
    body: { schema: ref(w.schema), required: true, example: sourceNamed(WEBHOOK_SOURCES, w.source).samples.valid },
    ok: {
      202: jsonResponse('新的报送，已保存；duplicate 为 true 表示已并入已有线索', ref('IntakeAnswer')),
      200: jsonResponse('重复投递（同一 webhook-id，或同一外部编号且内容相同），或同一外部编号内容有变化（保存为新修订）：返回与首次相同的结果', ref('IntakeAnswer')),
    },
    errors: [400, 401, 404, 409, 413, 415, 422, 429, 503],
  }));

  const reads: Operation[] = [
    {
      method: 'get', path: '/api/leads', id: 'listLeads', tag: '线索查询', summary: '线索列表',
      description: '按创建时间倒序分页。承办单位只看到交办给本单位的线索，社会监督员只看到本人报送所在的线索。',
      params: queryParams(listQuery, {
        status: '线索状态', agency: '承办单位代码', source: '来源渠道', overdue: 'true：只列出已超期的', q: '在标题和内容中查找', cursor: '上一页返回的 nextCursor', limit: '每页条数，默认 50',
      }),
      ok: { 200: jsonResponse('一页线索', ref('LeadList')) }, errors: [401, 422],
    },
    {
      method: 'post', path: '/api/leads', id: 'createLead', tag: '线索查询', summary: '录入线索（来访、来信、来电）',
      description: '调用者：区司法局（bureau）。与推送的报送一样查重、分办。',
      body: { schema: jsonSchema(manualLead, 'input'), required: true },
      ok: { 201: jsonResponse('新录入的线索', ref('CreatedLead')) }, errors: [400, 401, 403, 409, 413, 422],
    },
    {
      method: 'get', path: '/api/leads/{id}', id: 'getLead', tag: '线索查询', summary: '一条线索',
      description: '报送人的个人信息：区司法局看到原文（每次查看均记入全过程记录），其他角色看到遮蔽后的（张**、138****0000），viewer 看不到。含个人信息的应答带 Cache-Control: no-store。',
      params: [idParam], ok: { 200: jsonResponse('线索', ref('Lead')) }, errors: [401, 404],
    },
    {
      method: 'get', path: '/api/leads/{id}/events', id: 'getLeadEvents', tag: '线索查询', summary: '线索的全过程记录',
      description: '按时间先后；每条带哈希链上的哈希，可用 `npx xiansuo audit verify` 校验整条链。',
      params: [idParam], ok: { 200: jsonResponse('全过程记录', jsonSchema(S.eventListSchema, 'output')) }, errors: [401, 404],
    },
  ];

  const flow: Operation[] = [
    workflow('assign', 'assignLead', '交办', '区司法局（bureau）', 'assign', '交办承办单位：主办（primary）或协办（assist），按工作日计算签收和整改反馈期限；workingDays 可另定整改期限。'),
    workflow('acknowledge', 'acknowledgeLead', '签收', '被交办的承办单位（agency）', 'acknowledge', '承办单位签收，线索进入整改（rectifying）。请求体可为空。'),
    workflow('feedback', 'giveFeedback', '整改反馈', '被交办的承办单位（agency）', 'feedback', '提交整改情况、措施和证据，线索进入待审核（feedback）。'),
    workflow('review', 'reviewFeedback', '审核（通过 / 退回）', '区司法局（bureau）', 'review', 'approve：办结；return：退回重新整改，并给出新的期限。'),
    workflow('extension', 'requestExtension', '申请延期', '被交办的承办单位（agency）', 'requestExtension', '申请把整改反馈期限延长若干个工作日。'),
    workflow('extension/decision', 'decideExtension', '决定延期', '区司法局（bureau）', 'decideExtension', '同意或不同意待决定的延期申请。'),
    workflow('reject', 'rejectLead', '不予受理', '区司法局（bureau）', 'reject', '只能对研判中（triage）的线索。'),
    workflow('transfer', 'transferLead', '移送', '区司法局（bureau）', 'transfer', '移送纪委监委（discipline）或司法机关（judicial，两法衔接）。'),
    workflow('close', 'closeLead', '直接办结', '区司法局（bureau）', 'close', '研判中无需交办即可办结的线索，或移送后收到处理结果的线索。'),
    workflow('merge', 'mergeLead', '归并', '区司法局（bureau）', 'merge', '把本线索并入另一条线索（into）；报送和报送人全部保留，可撤销。'),
    workflow('unmerge', 'unmergeLead', '撤销归并', '区司法局（bureau）', 'unmerge', '恢复为独立线索，回到研判中。请求体可为空。'),
    workflow('follow-up', 'recordFollowUp', '回访', '区司法局（bureau）', 'followUp', '记录对某次报送的报送人的回访及其满意度；不满意时线索重新研判。'),
  ];

  const other: Operation[] = [
    {
      method: 'get', path: '/api/follow-ups', id: 'listFollowUps', tag: '线索查询', summary: '待回访任务',
      description: '调用者：区司法局（bureau）。', ok: { 200: jsonResponse('待回访任务', jsonSchema(S.followUpListSchema, 'output')) }, errors: [401, 403],
    },
    {
      method: 'get', path: '/api/calendar/{year}', id: 'getCalendar', tag: '工作日历', summary: '某年的工作日',
      description: '国务院公布的节假日和调休，加上区司法局的调整表。', params: [{ name: 'year', in: 'path', required: true, description: '年份', schema: { type: 'integer', minimum: 2000, maximum: 2100 } }],
      ok: { 200: jsonResponse('该年的工作日', jsonSchema(S.calendarSchema, 'output')) }, errors: [401, 403, 422],
    },
    {
      method: 'put', path: '/api/calendar/{year}', id: 'putCalendar', tag: '工作日历', summary: '保存某年的调整表',
      description: '调用者：区司法局（bureau）。published 为 true 时，该年按暂算期限计算的交办重新计算期限，并记入全过程记录。year 可省略（取路径中的年份）。',
      params: [{ name: 'year', in: 'path', required: true, description: '年份', schema: { type: 'integer', minimum: 2000, maximum: 2100 } }],
      body: { schema: withoutRequired(jsonSchema(yearOverridesSchema, 'input'), 'year'), required: true },
      ok: { 200: jsonResponse('已保存', jsonSchema(S.calendarSavedSchema, 'output')) }, errors: [400, 401, 403, 413, 422],
    },
    {
      method: 'post', path: '/api/routing/explain', id: 'explainRouting', tag: '分办', summary: '分办说明',
      description: '对任意文字给出分办决定和理由，不保存任何内容。调用者：bureau、viewer。',
      body: { schema: jsonSchema(explainBody, 'input'), required: true },
      ok: { 200: jsonResponse('分办决定', jsonSchema(S.routingExplainSchema, 'output')) }, errors: [400, 401, 403, 413, 422],
    },
    {
      method: 'get', path: '/api/stats', id: 'getStats', tag: '统计', summary: '统计数据',
      description: '调用者：bureau、viewer。日期为 XIANSUO_TZ 时区的日期，默认本年度至今。',
      params: queryParams(statsQuery, { from: '起始日期 YYYY-MM-DD（含）', to: '截止日期 YYYY-MM-DD（含）' }),
      ok: { 200: jsonResponse('统计数据', jsonSchema(S.statsSchema, 'output')) }, errors: [401, 403, 422],
    },
    {
      method: 'get', path: '/api/sources', id: 'listSources', tag: '推送接入', summary: '各来源的接收记录与回调状态',
      description: '调用者：bureau、admin。每个来源按应答状态码统计的投递次数、最近一次拒收的原因，以及回调的待发送、已放弃、已送达数和最近一次失败。',
      ok: { 200: jsonResponse('各来源', jsonSchema(S.sourceListSchema, 'output')) }, errors: [401, 403],
    },
  ];
  const yearParam: Json = { name: 'year', in: 'path', required: true, description: '年份（四位数字，2000–2100）', schema: { type: 'string', pattern: '^\\d{4}$' }, example: '2026' };
  const campaignId: Json = { name: 'id', in: 'path', required: true, description: '专项整治编号', schema: { type: 'string' }, example: 'ZX-2026-1a2b3c4d' };
  const campaignNotFound = { 404: '专项整治不存在' };
  const reporting: Operation[] = [
    {
      method: 'get', path: '/api/stats.csv', id: 'getStatsCsv', tag: '统计', summary: '统计数据（CSV）',
      description: '与 /api/stats 相同的数字，UTF-8 CSV（带 BOM，Excel 可直接打开）；table 只取其中一张表。调用者：bureau、viewer。',
      params: queryParams(statsQuery.extend({ table: z.enum(STATS_TABLE_KEYS).optional() }), {
        from: '起始日期 YYYY-MM-DD（含）', to: '截止日期 YYYY-MM-DD（含）', table: '只取一张表',
      }),
      ok: { 200: fileResponse('CSV 文件', 'text/csv') }, errors: [401, 403, 422],
    },
    {
      method: 'get', path: '/api/stats.xlsx', id: 'getStatsXlsx', tag: '统计', summary: '统计数据（Excel）',
      description: '与 /api/stats 相同的数字，每张表一个工作表。调用者：bureau、viewer。',
      params: queryParams(statsQuery, { from: '起始日期 YYYY-MM-DD（含）', to: '截止日期 YYYY-MM-DD（含）' }),
      ok: { 200: fileResponse('Excel 工作簿', XLSX) }, errors: [401, 403, 422],
    },
    {
      method: 'get', path: '/api/reports/annual/{year}.docx', id: 'getAnnualReportDocx', tag: '统计', summary: '统计年报（Word）',
      description: '该年度的统计年报，Word 文档。调用者：bureau、viewer。', params: [yearParam],
      ok: { 200: fileResponse('Word 文档', DOCX) }, errors: [401, 403, 422], plain422: true,
      errorText: { 422: '年份不是 2000–2100 之间的四位数字' },
    },
    {
      method: 'get', path: '/api/reports/annual/{year}', id: 'getAnnualReport', tag: '统计', summary: '统计年报（JSON）',
      description: '与 Word 文档相同的内容：标题、各部分的文字和表格。调用者：bureau、viewer。', params: [yearParam],
      ok: { 200: jsonResponse('年报内容', jsonSchema(S.reportSchemaOut, 'output')) }, errors: [401, 403, 422], plain422: true,
      errorText: { 422: '年份不是 2000–2100 之间的四位数字' },
    },
    {
      method: 'get', path: '/api/leads/{id}/publication', id: 'getPublication', tag: '公示', summary: '公示草稿与当前公示',
      description: '调用者：区司法局（bureau）。草稿为审核通过的整改情况，已遮蔽个人信息。', params: [idParam],
      ok: { 200: jsonResponse('草稿与当前公示', jsonSchema(S.publicationDraftSchema, 'output')) }, errors: [401, 403, 404],
    },
    {
      method: 'post', path: '/api/leads/{id}/publish', id: 'publishLead', tag: '公示', summary: '公示办理结果',
      description: '调用者：区司法局（bureau）。只能公示已办结的线索；summary 省略时用草稿。公示内容在 /public 上向所有人公开，不得含个人信息（含有时 422）。再次调用即更新公示内容。',
      params: [idParam], body: { schema: jsonSchema(publishBody, 'input'), required: false },
      ok: { 200: jsonResponse('公示', jsonSchema(S.publicationSchema, 'output')) }, errors: [400, 401, 403, 404, 409, 413, 422], plain422: true,
      errorText: { 409: '线索尚未办结，不能公示' },
    },
    {
      method: 'post', path: '/api/leads/{id}/unpublish', id: 'unpublishLead', tag: '公示', summary: '撤回公示',
      description: '调用者：区司法局（bureau）。', params: [idParam], body: { schema: jsonSchema(unpublishBody, 'input'), required: false },
      ok: { 200: jsonResponse('已撤回的公示', jsonSchema(S.publicationSchema, 'output')) }, errors: [400, 401, 403, 404, 409, 413, 422], plain422: true,
      errorText: { 409: '该线索没有正在公示的内容' },
    },
    {
      method: 'get', path: '/api/campaigns', id: 'listCampaigns', tag: '专项整治', summary: '专项整治列表',
      description: '调用者：bureau、viewer。', params: [{ name: 'status', in: 'query', required: false, description: 'open 进行中，closed 已结束', schema: { type: 'string', enum: ['open', 'closed'] } }],
      ok: { 200: jsonResponse('专项整治', jsonSchema(S.campaignListSchema, 'output')) }, errors: [401, 403, 422], plain422: true,
    },
    {
      method: 'post', path: '/api/campaigns', id: 'openCampaign', tag: '专项整治', summary: '开展专项整治',
      description: '调用者：区司法局（bureau）。规则（执法领域、承办单位、关键词）用于按规则纳入线索。',
      body: { schema: jsonSchema(campaignInput, 'input'), required: true },
      ok: { 201: jsonResponse('新的专项整治', jsonSchema(S.campaignSchema, 'output')) }, errors: [400, 401, 403, 413, 422], plain422: true,
    },
    {
      method: 'get', path: '/api/campaigns/{id}', id: 'getCampaign', tag: '专项整治', summary: '一项专项整治及其统计',
      description: '调用者：bureau、viewer。统计只算纳入该专项整治的线索。', params: [campaignId],
      ok: { 200: jsonResponse('专项整治及其统计', jsonSchema(S.campaignViewSchema, 'output')) }, errors: [401, 403, 404], errorText: campaignNotFound,
    },
    {
      method: 'get', path: '/api/campaigns/{id}/report', id: 'getCampaignReport', tag: '专项整治', summary: '工作情况报告（JSON）',
      description: '调用者：bureau、viewer。', params: [campaignId],
      ok: { 200: jsonResponse('报告内容', jsonSchema(S.reportSchemaOut, 'output')) }, errors: [401, 403, 404], errorText: campaignNotFound,
    },
    {
      method: 'get', path: '/api/campaigns/{id}/report.docx', id: 'getCampaignReportDocx', tag: '专项整治', summary: '工作情况报告（Word）',
      description: '调用者：bureau、viewer。', params: [campaignId],
      ok: { 200: fileResponse('Word 文档', DOCX) }, errors: [401, 403, 404], errorText: campaignNotFound,
    },
    {
      method: 'post', path: '/api/campaigns/{id}/apply', id: 'applyCampaign', tag: '专项整治', summary: '按规则纳入线索',
      description: '调用者：区司法局（bureau）。把期间内符合规则的线索纳入该专项整治；已纳入的不重复计。', params: [campaignId],
      ok: { 200: jsonResponse('纳入结果', jsonSchema(S.campaignApplySchema, 'output')) }, errors: [401, 403, 404, 409, 422], plain422: true,
      errorText: { ...campaignNotFound, 409: '专项整治已结束' },
    },
    {
      method: 'post', path: '/api/campaigns/{id}/leads/{leadId}', id: 'tagCampaignLead', tag: '专项整治', summary: '纳入一条线索',
      description: '调用者：区司法局（bureau）。', params: [campaignId, { ...idParam, name: 'leadId' }],
      ok: { 200: jsonResponse('是否有变化', jsonSchema(S.campaignTagSchema, 'output')) }, errors: [401, 403, 404, 409], errorText: { 404: '专项整治或线索不存在', 409: '专项整治已结束' },
    },
    {
      method: 'delete', path: '/api/campaigns/{id}/leads/{leadId}', id: 'untagCampaignLead', tag: '专项整治', summary: '移出一条线索',
      description: '调用者：区司法局（bureau）。', params: [campaignId, { ...idParam, name: 'leadId' }],
      ok: { 200: jsonResponse('是否有变化', jsonSchema(S.campaignTagSchema, 'output')) }, errors: [401, 403, 404, 409], errorText: { 404: '专项整治或线索不存在', 409: '专项整治已结束' },
    },
    {
      method: 'post', path: '/api/campaigns/{id}/close', id: 'closeCampaign', tag: '专项整治', summary: '结束专项整治',
      description: '调用者：区司法局（bureau）。', params: [campaignId],
      ok: { 200: jsonResponse('已结束的专项整治', jsonSchema(S.campaignSchema, 'output')) }, errors: [401, 403, 404, 409], errorText: { ...campaignNotFound, 409: '专项整治已结束' },
    },
    {
      method: 'get', path: '/api/outbox', id: 'listOutbox', tag: '运维', summary: '待发送和已放弃的提醒',
      description: '调用者：区司法局（bureau）、admin。与 `npx xiansuo outbox` 相同：邮件和机器人消息，含最近一次失败的原因。',
      params: queryParams(outboxQuery, { status: 'pending 待发送，dead 已放弃，all 全部（默认）', limit: '每页条数 1–500，默认 100', cursor: '上一页返回的 nextCursor' }),
      ok: { 200: jsonResponse('一页消息', jsonSchema(S.outboxListSchema, 'output')) }, errors: [400, 401, 403],
      errorText: { 400: '查询参数不符合要求，errors 指出哪一个' },
    },
    {
      method: 'get', path: '/api/tokens', id: 'listTokens', tag: '运维', summary: '令牌列表',
      description: '调用者：admin。与 `npx xiansuo token list --json` 相同；从不显示令牌本身或其哈希。',
      ok: { 200: jsonResponse('全部令牌', jsonSchema(S.tokenListSchema, 'output')) }, errors: [401, 403],
    },
  ];
  return [...webhooks, ...reads, ...flow, ...other, ...reporting];
}

function withoutRequired(schema: Json, name: string): Json {
  const required = (schema.required as string[] | undefined)?.filter((r) => r !== name);
  return { ...schema, required };
}

const TAGS = [
  { name: '推送接入', description: '12345 热线、媒体和社会监督员按 Standard Webhooks 签名推送报送（API.md §2）' },
  { name: '线索查询', description: '读取线索、列表和全过程记录（API.md §3）' },
  { name: '办理流程', description: '交办、签收、整改反馈、审核、延期、不予受理、移送、归并（API.md §3）' },
  { name: '工作日历', description: '法定节假日、调休和区司法局的调整' },
  { name: '分办', description: '分办规则的说明' },
  { name: '统计', description: '统计数据、下载（CSV、Excel）和统计年报' },
  { name: '公示', description: '向社会公示已办结线索的办理结果（/public）' },
  { name: '专项整治', description: '专项整治：规则、纳入的线索、统计和工作情况报告' },
  { name: '运维', description: '待发送的提醒和令牌' },
  { name: '回调', description: '本平台向来源推送的办理进展（API.md §7），见 webhooks' },
];

function callbackWebhooks(): Json {
  const out: Json = {};
  for (const type of CALLBACK_TYPES) {
    out[type] = {
      post: {
        operationId: `callback-${type.replace('.', '-')}`,
        tags: ['回调'],
        summary: `${CALLBACK_LABELS[type]}（${type}）`,
        description: '配置了回调地址（CALLBACK_URL_{HOTLINE|MEDIA|SUPERVISOR} 与 CALLBACK_SECRET_…，whsec_ 密钥）的来源，'
          + '会收到其报送的办理进展。每个事件对每条报送发送一次，webhook-id 在重试时不变；非 2xx 应答按退避重试 72 小时；'
          + '同一报送的事件按发生顺序送达；回调只含接收方自己那条报送的编号，不含其他报送人的任何信息，文字中的电话、身份证号、电子邮箱和姓名已遮蔽。',
        parameters: STANDARD_WEBHOOK_HEADERS,
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: ref(`Callback_${type.replace('.', '_')}`) } } },
        responses: {
          200: { description: '任意 2xx 应答表示已收到；其他应答（或 10 秒内无应答）稍后重试' },
        },
      },
    };
  }
  return out;
}

function components(): Json {
  const schemas: Json = {
    Problem: jsonSchema(S.problemSchema, 'output'),
    ValidationProblem: jsonSchema(S.validationProblemSchema, 'output'),
    IntakeAnswer: jsonSchema(S.intakeAnswerSchema, 'output'),
    Lead: jsonSchema(S.leadSchema, 'output'),
    CreatedLead: jsonSchema(S.createdLeadSchema, 'output'),
    LeadList: jsonSchema(S.leadListSchema, 'output'),
    ...Object.fromEntries(WEBHOOKS.map((w) => [w.schema, { ...jsonSchema(sourceNamed(WEBHOOK_SOURCES, w.source).schema, 'input'), description: w.title }])),
  };
  for (const name of WEBHOOKS.map((w) => w.schema)) {
    undescribed.push(...describeFields(schemas[name] as Json, FIELD_DESCRIPTIONS[name]).map((p) => `${name}.${p}`));
  }
  for (const type of CALLBACK_TYPES) {
    schemas[`Callback_${type.replace('.', '_')}`] = { ...jsonSchema(callbackBodySchema(type), 'output'), description: `回调：${CALLBACK_LABELS[type]}` };
  }
  return {
    schemas,
    securitySchemes: {
      bearerAuth: {
        type: 'http', scheme: 'bearer',
        description: '`npx xiansuo token create --role …` 创建的令牌（只显示一次），或 XIANSUO_ADMIN_TOKEN。角色：admin、bureau、agency、supervisor、viewer。',
      },
    },
  };
}

let cached: Json | undefined;
/** Described fields that the schemas no longer have (test/openapi.test.ts expects none). */
export const undescribed: string[] = [];

/** The whole document (built once: it depends on code only). */
export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Json = {};
  for (const op of operations()) {
    if (op.body) undescribed.push(...describeFields(op.body.schema, FIELD_DESCRIPTIONS[op.id]).map((p) => `${op.id}.${p}`));
    const responses: Json = {};
    for (const [status, r] of Object.entries(op.ok)) responses[status] = r;
    const api = op.path.startsWith('/api/');
    const errors: Record<number, string> = !api ? WEBHOOK_ERRORS : op.body ? ERRORS : { ...ERRORS, 400: QUERY_400 };
    // Every /api call may be refused before its route: a malformed query (400), no token (401), and
    // for an address with ids, a path segment that cannot be one (404).
    const statuses = new Set([...op.errors, ...(api ? [400, 401] : []), ...(api && op.path.includes('{') ? [404] : [])]);
    for (const status of [...statuses].sort((a, b) => a - b)) responses[status] = problemResponse(status, op.errorText?.[status] ?? errors[status] ?? '', op.plain422);
    const entry: Json = {
      operationId: op.id, tags: [op.tag], summary: op.summary, description: op.description,
      ...(op.params ? { parameters: op.params } : {}),
      ...(op.body ? {
        requestBody: {
          required: op.body.required ?? true,
          content: { 'application/json': { schema: op.body.schema, ...(op.body.example ? { example: op.body.example } : {}) } },
        },
      } : {}),
      responses,
      security: op.path.startsWith('/api/') ? [{ bearerAuth: [] }] : [],
    };
    paths[op.path] = { ...(paths[op.path] as Json | undefined), [op.method]: entry };
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'xiansuo（线索）问题线索平台接口',
      version: '1.0.0',
      summary: '区司法局行政执法监督问题线索平台：推送接入、线索办理与回调',
      description: '12345 热线、媒体和社会监督员向本平台推送报送（Standard Webhooks 签名）；区司法局和承办单位通过 /api 办理线索；'
        + '配置了回调的来源会收到办理进展（见 webhooks）。错误一律为 application/problem+json（type、title、status、detail；422 另有 errors[{path, message}]）。'
        + '时间为 ISO 8601；工作日和期限按 XIANSUO_TZ（默认 Asia/Shanghai）计算。',
      license: { name: 'UNLICENSED', identifier: 'LicenseRef-proprietary' },
    },
    servers: [{ url: '/', description: '本服务' }],
    tags: TAGS,
    paths,
    webhooks: callbackWebhooks(),
    components: components(),
  };
  return cached;
}
