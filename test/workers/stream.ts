// One labelled stream of reports for the de-duplication comparison: the same messages go to the
// Node index (SQLite, in globalSetup.ts) and to the Durable Object over D1 (dedupe.test.ts).
// Each message carries the problem it is about; the first of a problem should start a lead, the
// others should merge into it. Distinct problems from test/helpers/problems.ts, each told again
// hours later in other words (a relay by a supervisor, a newspaper's account), plus the sample
// hotline order and the newspaper's report of the same incident.
import { PROBLEMS } from '../helpers/problems.ts';
import { samples as hotline } from '../../webhooks/hotline.ts';
import { samples as media } from '../../webhooks/media.ts';
import type { ReportText } from '../../src/domain/dedupe/index.ts';

export interface StreamMessage {
  id: string;
  problem: string;
  report: ReportText;
}

export function dedupeStream(): StreamMessage[] {
  const out: StreamMessage[] = [];
  const start = Date.parse('2026-03-02T01:00:00.000Z');
  let minute = 0;
  const at = () => new Date(start + (minute += 37) * 60_000).toISOString();
  PROBLEMS.forEach((p, i) => {
    out.push({ id: `p${i}-a`, problem: `p${i}`, report: { title: p.title, content: p.content, reportedAt: at(), township: p.township, subject: p.subject } });
  });
  PROBLEMS.forEach((p, i) => {
    out.push({ id: `p${i}-b`, problem: `p${i}`, report: { title: `转：${p.title}`, content: `监督员转述群众反映：${p.content}希望尽快处理。`, reportedAt: at(), township: p.township, subject: p.subject } });
  });
  out.push({ id: 'h-a', problem: 'market', report: { title: hotline.valid.title, content: hotline.valid.content, reportedAt: at(), address: hotline.valid.address, township: hotline.valid.township, subject: hotline.valid.subject } });
  out.push({ id: 'h-b', problem: 'market', report: { title: media.valid.title, content: media.valid.content, reportedAt: at(), township: media.valid.township, subject: media.valid.subject } });
  out.push({ id: 'u-a', problem: 'muck', report: { title: hotline.urgent.title, content: hotline.urgent.content, reportedAt: at(), township: hotline.urgent.township } });
  return out;
}

export interface StreamDecision {
  id: string;
  kind: string;
  /** The message whose lead it went to (its own id for a new lead). */
  leadOf: string;
}

/** Pairwise: a merge into the right problem's lead is a true positive; precision and recall of merging. */
export function precisionRecall(messages: StreamMessage[], decisions: StreamDecision[]): { precision: number; recall: number; tp: number; fp: number; fn: number } {
  const problemOf = new Map(messages.map((m) => [m.id, m.problem]));
  const seen = new Set<string>();
  let tp = 0; let fp = 0; let fn = 0;
  messages.forEach((m, i) => {
    const d = decisions[i]!;
    const repeat = seen.has(m.problem);
    seen.add(m.problem);
    if (d.kind === 'merge') {
      if (repeat && problemOf.get(d.leadOf) === m.problem) tp++;
      else fp++;
    } else if (repeat) fn++;
  });
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), tp, fp, fn };
}
