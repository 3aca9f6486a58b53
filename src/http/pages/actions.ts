// The lead page's forms → the workflow use cases of src/app (the same ones the API calls).
// Each turns its form fields into the use case's input; the use case validates it.
import type { Caller, WorkflowDeps } from '../../app/deps.ts';
import { acknowledgeLead } from '../../app/acknowledgeLead.ts';
import { assignLead } from '../../app/assignLead.ts';
import { decideExtension } from '../../app/decideExtension.ts';
import { mergeLead } from '../../app/mergeLead.ts';
import { rejectLead } from '../../app/rejectLead.ts';
import { requestExtension } from '../../app/requestExtension.ts';
import { reviewLead } from '../../app/reviewLead.ts';
import { submitFeedback } from '../../app/submitFeedback.ts';
import { transferLead } from '../../app/transferLead.ts';
import { unmergeLead } from '../../app/unmergeLead.ts';

type Form = Record<string, string>;

interface Action {
  run(deps: WorkflowDeps, caller: Caller, id: string, input: unknown): Promise<unknown>;
  input(form: Form): unknown;
}

/** A number field: a whole number as a number, anything else as typed (the use case says what is wrong). */
function num(v: string | undefined): unknown {
  const s = (v ?? '').trim();
  if (s === '') return undefined;
  return /^\d{1,6}$/.test(s) ? Number(s) : s;
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const text = (v: string | undefined) => (v ?? '').trim();
const optional = (v: string | undefined) => (text(v) === '' ? undefined : text(v));

export const ACTIONS: Record<string, Action> = {
  assign: { run: assignLead, input: (f) => compact({ agency: text(f.agency), workingDays: num(f.workingDays) }) },
  reject: { run: rejectLead, input: (f) => ({ reason: text(f.reason) }) },
  transfer: { run: transferLead, input: (f) => ({ to: text(f.to), note: text(f.note) }) },
  review: {
    run: reviewLead,
    input: (f) => (f.decision === 'return'
      ? compact({ decision: 'return', comment: text(f.comment), workingDays: num(f.workingDays) })
      : compact({ decision: text(f.decision), comment: optional(f.comment) })),
  },
  'extension-decision': { run: decideExtension, input: (f) => compact({ approve: f.approve === 'true', comment: optional(f.comment) }) },
  merge: { run: mergeLead, input: (f) => ({ into: text(f.into) }) },
  unmerge: { run: unmergeLead, input: () => ({}) },
  acknowledge: { run: acknowledgeLead, input: () => ({}) },
  feedback: {
    run: submitFeedback,
    input: (f) => {
      const links = (f.evidence ?? '').split(/\s+/).filter(Boolean);
      return compact({ summary: text(f.summary), measures: text(f.measures), evidence: links.length ? links.map((url) => ({ url })) : undefined });
    },
  },
  extension: { run: requestExtension, input: (f) => ({ workingDays: num(f.workingDays), reason: text(f.reason) }) },
};

const FIELD_LABELS: Record<string, string> = {
  agency: '承办单位', workingDays: '工作日数', reason: '理由', note: '移送说明', comment: '意见', summary: '整改情况摘要',
  measures: '整改措施', evidence: '证据链接', url: '链接', content: '问题描述', title: '标题', address: '地点',
  township: '乡镇（街道）', subject: '被反映单位', into: '合并到', decision: '审核结论', to: '移送至',
};

/** A use case's refusal as one Chinese sentence naming each field that is wrong. */
export function formErrorText(err: { message: string; errors: { path: string; message: string }[] }): string {
  if (!err.errors.length) return err.message;
  return err.errors.map((e) => {
    const parts = e.path.split('/').filter(Boolean);
    const field = parts[0] ?? '';
    let label = FIELD_LABELS[field] ?? '';
    if (field === 'evidence' && parts[1] !== undefined) label = `第 ${Number(parts[1]) + 1} 个证据链接`;
    return label && !e.message.includes(label) ? `${label}：${e.message}` : e.message;
  }).join('；');
}
