// The workflow calls of API.md §3: each loads the lead's state, applies one transition of
// src/domain/lifecycle, and saves the new state, its events and its notices in one commit.
import { Hono, type Context } from 'hono';
import {
  acknowledge, assign, close, decideExtension, feedback, followUp, followUpTasks, merge, reject,
  requestExtension, review, transfer, unmerge, isTransitionError,
  type LeadState, type TransitionContext, type TransitionResult,
} from '../../domain/lifecycle/index.ts';
import { findAgency } from '../../domain/directory.ts';
import type { Actor } from '../../domain/types.ts';
import { loadLeadState, mergedUpwards, saveLeadState } from '../../db/stores/lifecycle.ts';
import { findVisibleLead, refreshFamily } from '../../db/stores/leads.ts';
import { readLead } from '../../app/readLead.ts';
import type { Principal } from '../../db/stores/tokens.ts';
import { write, type Recorder, type Tx } from '../../db/write.ts';
import { countWorkingDaysLeft } from '../../notify/index.ts';
import { agencyOrPlaceholder, queueNotice } from '../../jobs/messages.ts';
import { queueAssignmentNotices } from '../../jobs/dispatch.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { HttpProblem, notFound } from '../problem.ts';
import { readJson } from '../body.ts';
import { noStore, readDeps, scopeOf, viewerOf } from './leads.ts';

export function actorOf(p: Principal): Actor {
  const a: Actor = { id: p.tokenId, role: p.role };
  if (p.agency) a.agency = p.agency;
  if (p.supervisorId) a.supervisorId = p.supervisorId;
  return a;
}

export function transitionContext(deps: AppDeps): TransitionContext {
  let n = 0;
  const stamp = Date.now().toString(36);
  return {
    calendar: deps.calendar.current(), policy: deps.policy, tz: deps.config.tz,
    newId: () => `as_${stamp}_${(n++).toString(36)}_${crypto.randomUUID().slice(0, 8)}`,
    isAgency: (code) => Boolean(findAgency(deps.directory, code)),
    agencyName: (code) => findAgency(deps.directory, code)?.name ?? code,
  };
}

/** Bodies go in as parsed JSON: every transition validates its own input (422 with errors[]). */
type Step = (state: LeadState, actor: Actor, at: string, body: unknown, ctx: TransitionContext, tx: Tx) => Promise<TransitionResult> | TransitionResult;

/** Runs one transition in one commit; afterwards answers the lead as its caller may see it. */
type Effects = (tx: Tx, before: LeadState, after: LeadState, at: string, rec: Recorder) => Promise<void>;

async function run(c: Context<AppEnv>, step: Step, effects?: Effects) {
  const { deps, principal } = c.var;
  const id = c.req.param('id')!;
  const body = await readJson(c);
  // Supervisors and agencies meet another's lead as "not found"; the domain checks agencies itself.
  if (principal.role === 'supervisor' && !(await findVisibleLead(deps.reader, id, scopeOf(principal)))) throw notFound();
  const at = deps.clock.now().toISOString();
  const ctx = transitionContext(deps);
  try {
    await write(deps.db, async (tx, rec) => {
      const before = await loadLeadState(tx, id);
      if (!before) throw notFound();
      const { state: after, events } = await step(before, actorOf(principal), at, body, ctx, tx);
      await saveLeadState(tx, before, after, at, ctx.calendar, ctx.tz);
      rec.record(...events);
      if (effects) await effects(tx, before, after, at, rec);
    });
  } catch (err) {
    if (isTransitionError(err)) {
      const slug = { forbidden: 'forbidden', 'not-found': 'not-found', state: 'state-conflict', invalid: 'invalid-request' }[err.code];
      const title = { forbidden: '无权操作', 'not-found': '未找到', state: '当前状态不允许该操作', invalid: '请求内容不符合要求' }[err.code];
      throw new HttpProblem(err.httpStatus as 403, slug, title, err.message, err.errors.length ? { errors: err.errors } : {});
    }
    throw err;
  }
  // Answered as the caller may see it, masked even for the bureau: working a lead does not unmask it.
  const view = await readLead(readDeps(deps), viewerOf(principal), id, { unmask: false });
  if (!view) throw notFound();
  noStore(c);
  return c.json(view);
}

async function leadTitle(tx: Tx, id: string): Promise<string> {
  return (await tx.selectFrom('leads').select('title').where('id', '=', id).executeTakeFirstOrThrow()).title;
}

export function workflowRoutes() {
  const app = new Hono<AppEnv>();

  app.post('/:id/assign', (c) => run(c, (s, a, at, b, ctx) => assign(s, a, at, b as never, ctx), async (tx, before, after, at, rec) => {
    const { deps } = c.var;
    await queueAssignmentNotices(tx, deps, before, after, await leadTitle(tx, after.id), at);
    const known = new Set(before.assignments.map((x) => x.id));
    // Learning from the bureau: a person chose another agency than routing proposed.
    const primary = after.assignments.find((x) => x.role === 'primary' && !known.has(x.id));
    if (primary && after.routing.agency && primary.agency !== after.routing.agency) {
      rec.record({
        leadId: after.id, actor: c.var.principal.tokenId, action: 'routing.corrected', at,
        data: { proposed: after.routing.agency, chosen: primary.agency },
      });
    }
  }));

  app.post('/:id/acknowledge', (c) => run(c, (s, a, at, b, ctx) => acknowledge(s, a, at, b as never, ctx)));
  app.post('/:id/feedback', (c) => run(c, (s, a, at, b, ctx) => feedback(s, a, at, b as never, ctx)));

  app.post('/:id/review', (c) => run(c, (s, a, at, b, ctx) => review(s, a, at, b as never, ctx), async (tx, before, after, at) => {
    const { deps } = c.var;
    const title = await leadTitle(tx, after.id);
    if (after.status === 'closed') {
      for (const x of after.assignments.filter((y) => before.assignments.find((z) => z.id === y.id)?.status !== 'closed')) {
        const agency = agencyOrPlaceholder(deps.directory, x.agency);
        const input = { leadId: after.id, title, agencyName: agency.name, closedAt: at };
        await queueNotice(tx, { key: `approved:${x.id}:${at}`, leadId: after.id, agency, to: [agency.email], template: { name: 'review-approved', input } }, at);
      }
      await createFollowUps(tx, after, at);
      return;
    }
    const p = after.assignments.find((x) => x.returned && x.returned.at === at);
    if (p?.returned) {
      const agency = agencyOrPlaceholder(deps.directory, p.agency);
      const input = {
        leadId: after.id, title, agencyName: agency.name, comment: p.returned.comment, dueAt: p.dueAt,
        workingDaysLeft: countWorkingDaysLeft(p.dueAt, at, deps.calendar.current(), deps.config.tz),
      };
      await queueNotice(tx, { key: `returned:${p.id}:${p.returned.count}`, leadId: after.id, agency, to: [agency.email], template: { name: 'review-returned', input } }, at);
    }
  }));

  app.post('/:id/extension', (c) => run(c, (s, a, at, b, ctx) => requestExtension(s, a, at, b as never, ctx)));
  app.post('/:id/extension/decision', (c) => run(c, (s, a, at, b, ctx) => decideExtension(s, a, at, b as never, ctx), async (tx, before, after, at) => {
    const { deps } = c.var;
    const decided = before.pendingExtension;
    if (!decided) return;
    const x = after.assignments.find((y) => y.id === decided.assignmentId);
    if (!x?.extension) return;
    const agency = agencyOrPlaceholder(deps.directory, x.agency);
    const input = {
      leadId: after.id, title: await leadTitle(tx, after.id), agencyName: agency.name,
      approved: x.extension.status === 'approved', workingDays: x.extension.workingDays, dueAt: x.dueAt,
      ...(x.extension.comment ? { comment: x.extension.comment } : {}),
    };
    await queueNotice(tx, { key: `extension:${x.id}:${x.extension.requestedAt}`, leadId: after.id, agency, to: [agency.email], template: { name: 'extension-decision', input } }, at);
  }));

  app.post('/:id/reject', (c) => run(c, (s, a, at, b, ctx) => reject(s, a, at, b as never, ctx)));
  app.post('/:id/transfer', (c) => run(c, (s, a, at, b, ctx) => transfer(s, a, at, b as never, ctx)));
  app.post('/:id/close', (c) => run(c, (s, a, at, b, ctx) => close(s, a, at, b as never, ctx), async (tx, _b, after, at) => {
    if (after.status === 'closed') await createFollowUps(tx, after, at);
  }));

  app.post('/:id/merge', (c) => run(c, async (s, a, at, b, ctx, tx) => {
    const into = typeof b === 'object' && b && 'into' in b ? String((b as { into: unknown }).into) : '';
    const target = await tx.selectFrom('leads').select(['id', 'status', 'merged_into']).where('id', '=', into).executeTakeFirst();
    return merge(s, a, at, b as never, ctx, target
      ? { id: target.id, status: target.status as LeadState['status'], mergedInto: target.merged_into }
      : null); // no such lead: 404
  }, async (tx, _b, after) => {
    if (after.mergedInto) await refreshFamily(tx, after.mergedInto);
  }));
  // The lead it leaves, and each lead that one is merged into, count one family fewer.
  app.post('/:id/unmerge', (c) => run(c, (s, a, at, b, ctx) => unmerge(s, a, at, b as never, ctx), async (tx, before) => {
    for (const id of await mergedUpwards(tx, before.mergedInto)) await refreshFamily(tx, id);
  }));

  app.post('/:id/follow-up', (c) => {
    let recorded: { reportId: string; satisfied: boolean; comment: string | null } | undefined;
    return run(c, async (s, a, at, b, ctx, tx) => {
    const reports = await tx.selectFrom('reports').select(['id', 'reporter_name', 'reporter_phone', 'confidential', 'supervisor_id'])
      .where('lead_id', '=', s.id).execute();
    const result = followUp(s, a, at, b as never, ctx, reports.map((r) => ({
      id: r.id, reporter: { name: r.reporter_name, phone: r.reporter_phone, confidential: Boolean(r.confidential), supervisorId: r.supervisor_id },
    })));
    const input = b as { reportId: string; satisfied: boolean; comment?: string };
    recorded = { reportId: input.reportId.trim(), satisfied: input.satisfied, comment: input.comment ?? null };
    return result;
  }, async (tx, _before, after, at) => {
    if (!recorded) return;
    await tx.updateTable('follow_ups').set({ status: 'done', satisfied: recorded.satisfied ? 1 : 0, comment: recorded.comment, done_at: at })
      .where('lead_id', '=', after.id).where('report_id', '=', recorded.reportId).where('status', '=', 'pending').execute();
  });
  });

  return app;
}

/** When a lead closes, each reporter who can be reached and did not ask for confidentiality gets a 回访 task. */
async function createFollowUps(tx: Tx, lead: LeadState, at: string): Promise<void> {
  const reports = await tx.selectFrom('reports').select(['id', 'reporter_name', 'reporter_phone', 'confidential', 'supervisor_id'])
    .where('lead_id', '=', lead.id).execute();
  const tasks = followUpTasks(lead, reports.map((r) => ({
    id: r.id, reporter: { name: r.reporter_name, phone: r.reporter_phone, confidential: Boolean(r.confidential), supervisorId: r.supervisor_id },
  })));
  const round = (lead.reopenedCount ?? 0) + 1;
  for (const t of tasks) {
    await tx.insertInto('follow_ups').values({
      id: `fu_${crypto.randomUUID()}`, lead_id: lead.id, report_id: t.reportId, round, status: 'pending',
      satisfied: null, comment: null, created_at: at, done_at: null,
    }).onConflict((oc) => oc.columns(['lead_id', 'report_id', 'round']).doNothing()).execute();
  }
}
