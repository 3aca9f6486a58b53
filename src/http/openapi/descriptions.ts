// Chinese descriptions of the request fields, added to the JSON Schemas generated from the
// routes' own zod schemas (kept here so the sources' and workflow files stay as they are).
// test/openapi.test.ts checks that every path named here exists in the generated schema.
type Json = Record<string, any>;

const PLACE = {
  address: '地址',
  township: '乡镇 / 街道，如 梅湾街道',
  subject: '被反映单位（报送人所说），如 城管',
};

export const FIELD_DESCRIPTIONS: Record<string, Record<string, string>> = {
  HotlineWorkOrder: {
    orderNo: '12345 工单号（外部编号）', createdAt: '工单创建时间（带时区的 ISO 8601）', caller: '来电人',
    'caller.name': '来电人姓名', 'caller.phone': '来电人电话', 'caller.confidential': '来电人要求保密',
    title: '工单标题', content: '工单内容', ...PLACE, category: '热线自己的分类', urgency: '紧急程度：normal 一般，urgent 紧急',
  },
  MediaReport: {
    articleId: '报道编号（外部编号）', outlet: '媒体名称，如 永州日报', url: '报道链接', publishedAt: '发布时间（带时区的 ISO 8601）',
    title: '标题', content: '正文', ...PLACE,
  },
  SupervisorSubmission: {
    submissionId: '报送编号（外部编号）', supervisor: '社会监督员', 'supervisor.id': '监督员编号，如 S07', 'supervisor.name': '监督员姓名',
    submittedAt: '报送时间（带时区的 ISO 8601）', title: '标题（可省略，取内容第一句）', content: '反映的问题', ...PLACE,
    evidence: '证据', 'evidence.url': '证据链接', 'evidence.kind': '证据类型：photo 照片，video 视频，document 文件',
  },
  assignLead: { agency: '承办单位代码，如 urban', role: 'primary 主办（默认）或 assist 协办', workingDays: '整改反馈期限（工作日），默认按期限规定', priority: '优先级（只能在研判中更改）' },
  giveFeedback: { summary: '整改情况摘要（办结后回复来源）', measures: '整改措施', evidence: '证据', 'evidence.url': '证据链接', 'evidence.kind': 'photo、video 或 document' },
  requestExtension: { workingDays: '延长的工作日数', reason: '延期理由' },
  decideExtension: { approve: 'true 同意，false 不同意', comment: '意见' },
  rejectLead: { reason: '不予受理的理由' },
  transferLead: { to: 'discipline 纪委监委，judicial 司法机关', note: '移送说明' },
  closeLead: { reason: '办结说明' },
  mergeLead: { into: '并入的线索编号' },
  recordFollowUp: { reportId: '回访的报送编号', satisfied: '报送人是否满意', comment: '回访记录' },
  createLead: {
    title: '标题', content: '内容', channel: 'bureau 司法局录入（默认）或 public 群众来信来访', ...PLACE, category: '分类',
    priority: '优先级', reportedAt: '反映时间（默认现在）', reporter: '反映人', 'reporter.name': '姓名', 'reporter.phone': '电话', 'reporter.confidential': '要求保密',
  },
  explainRouting: { title: '标题', content: '内容', ...PLACE, category: '来源自己的分类', source: '来源渠道' },
};

/** The object schema at a dotted path (through arrays' items), or undefined. */
function at(schema: Json, path: string[]): Json | undefined {
  let node: Json | undefined = schema;
  for (const key of path) {
    if (node?.type === 'array') node = node.items;
    node = node?.properties?.[key];
    if (!node) return undefined;
  }
  return node;
}

/** Adds the descriptions to `schema` (in place); returns the paths it could not find. */
export function describeFields(schema: Json, descriptions: Record<string, string> | undefined): string[] {
  const missing: string[] = [];
  for (const [path, text] of Object.entries(descriptions ?? {})) {
    const node = at(schema, path.split('.'));
    if (!node) missing.push(path);
    else node.description ??= text;
  }
  return missing;
}
