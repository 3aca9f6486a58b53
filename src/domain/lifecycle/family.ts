// Families of merged leads: a lead counts the reports of itself and of every lead merged into it,
// however deep. A merge or an unmerge changes who belongs to which family, so the leads above the
// change count again. Decided here from the rows as read (the leads' links and versions, their
// reports), as writes of a plan guarded by the versions read: a lead whose family changed
// meanwhile (a report arrived, another merge or unmerge) moved its version, and the plan is
// decided again.
import type { Guard, Write } from '../plan.ts';
import type { LeadStatus } from '../types.ts';

/** A lead of a family tree as read: its link upwards and its version. */
export interface FamilyLink {
  id: string;
  status: LeadStatus;
  mergedInto: string | null;
  version: number;
}

/** A report as the count needs it. */
export interface FamilyReport {
  leadId: string;
  source: string;
  receivedAt: string;
  id: string;
}

export interface FamilyTree {
  links: FamilyLink[];
  reports: FamilyReport[];
}

/** The lead and every lead merged into it, however deep (each lead once, so even a cycle ends). */
export function familyOf(links: readonly Pick<FamilyLink, 'id' | 'status' | 'mergedInto'>[], id: string): string[] {
  const below = new Map<string, string[]>();
  for (const l of links) {
    if (l.status !== 'merged' || l.mergedInto === null) continue;
    below.set(l.mergedInto, [...(below.get(l.mergedInto) ?? []), l.id]);
  }
  const out = [id];
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++) {
    for (const child of below.get(out[i]!) ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        out.push(child);
      }
    }
  }
  return out;
}

/** How many reports a family holds, and its channels in the order their first reports came in. */
export function familyCount(tree: { reports: readonly FamilyReport[] }, family: readonly string[]): { reportCount: number; channels: string[] } {
  const members = new Set(family);
  const reports = tree.reports.filter((r) => members.has(r.leadId))
    .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { reportCount: reports.length, channels: [...new Set(reports.map((r) => r.source))] };
}

/**
 * The writes that count `recount` again once `changed` (a lead's new status and link) is applied
 * to the tree as read, and the guards that the leads counted are still at the versions read.
 */
export function recountPlan(
  tree: FamilyTree, changed: Pick<FamilyLink, 'id' | 'status' | 'mergedInto'>, recount: readonly string[],
): { guards: Guard[]; writes: Write[] } {
  const links = tree.links.map((l) => (l.id === changed.id ? { ...l, status: changed.status, mergedInto: changed.mergedInto } : l));
  const guards: Guard[] = [];
  const writes: Write[] = [];
  for (const id of recount) {
    const link = tree.links.find((l) => l.id === id);
    if (!link) throw new Error(`recountPlan: lead ${id} is not in the tree read`);
    const { reportCount, channels } = familyCount(tree, familyOf(links, id));
    guards.push({ kind: 'exists', table: 'leads', where: { id, version: link.version }, reason: `线索 ${id} 已被他人修改` });
    writes.push({
      kind: 'update', table: 'leads', where: { id },
      set: { report_count: reportCount, channels: JSON.stringify(channels), version: { add: 1 } },
    });
  }
  return { guards, writes };
}

/** A lead and each lead it is merged into, up to the live one, from the links read (no lead twice). */
export function mergedUpwards(links: readonly Pick<FamilyLink, 'id' | 'status' | 'mergedInto'>[], id: string | null): string[] {
  const byId = new Map(links.map((l) => [l.id, l]));
  const chain: string[] = [];
  for (let next = id; next && !chain.includes(next);) {
    const row = byId.get(next);
    if (!row) break;
    chain.push(next);
    next = row.status === 'merged' ? row.mergedInto : null;
  }
  return chain;
}
