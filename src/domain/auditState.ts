// What the full-process record remembers of a lead's current state, so that `audit verify` finds a
// lead or assignment whose status, agency or deadlines were changed outside the service: each
// write stores the state of every lead it names (with the lead's last event of that write, inside
// the hash chain); verify compares the latest recorded state of each lead with its rows.
import { canonicalJson } from './crypto.ts';

export interface RecordedAssignment {
  id: string;
  agency: string;
  status: string;
  ackDueAt: string | null;
  dueAt: string | null;
}

export interface RecordedState {
  status: string;
  /** The routing agency (routing.agency). */
  agency: string | null;
  /** Sorted by id. */
  assignments: RecordedAssignment[];
}

export function recordedState(
  lead: { status: string; routing_agency: string | null },
  assignments: readonly { id: string; agency: string; status: string; ack_due_at: string | null; due_at: string | null }[],
): RecordedState {
  return {
    status: lead.status, agency: lead.routing_agency,
    assignments: [...assignments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((a) => ({
      id: a.id, agency: a.agency, status: a.status, ackDueAt: a.ack_due_at, dueAt: a.due_at,
    })),
  };
}

export function stateText(s: RecordedState): string {
  return canonicalJson(s);
}

const LABEL: Record<keyof Omit<RecordedAssignment, 'id'>, string> = {
  agency: '承办单位', status: '状态', ackDueAt: '签收期限', dueAt: '整改反馈期限',
};

const show = (v: string | null) => (v === null ? '空' : `“${v}”`);

/** What differs between the state recorded at entry `seq` and the rows, one Chinese sentence each. */
export function stateDifferences(leadId: string, seq: number, recorded: RecordedState, actual: RecordedState): string[] {
  const out: string[] = [];
  const where = `全过程记录第 ${seq} 条记载为`;
  if (recorded.status !== actual.status) out.push(`线索 ${leadId} 的状态为 ${show(actual.status)}，${where} ${show(recorded.status)}`);
  if (recorded.agency !== actual.agency) out.push(`线索 ${leadId} 的建议承办单位为 ${show(actual.agency)}，${where} ${show(recorded.agency)}`);
  const rows = new Map(actual.assignments.map((a) => [a.id, a]));
  for (const r of recorded.assignments) {
    const a = rows.get(r.id);
    rows.delete(r.id);
    if (!a) {
      out.push(`线索 ${leadId} 的交办 ${r.id}（${r.agency}）已不在数据库中，${where}存在`);
      continue;
    }
    for (const k of ['agency', 'status', 'ackDueAt', 'dueAt'] as const) {
      if (r[k] !== a[k]) out.push(`线索 ${leadId} 的交办 ${r.id} 的${LABEL[k]}为 ${show(a[k])}，${where} ${show(r[k])}`);
    }
  }
  for (const a of rows.values()) out.push(`线索 ${leadId} 的交办 ${a.id}（${a.agency}）不在全过程记录中`);
  return out;
}
