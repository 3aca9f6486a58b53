// The workflow calls of API.md §3: each parses its body and calls one use case of src/app
// (load the lead's state, apply one transition, save state, events and notices in one commit).
import { Hono, type Context } from 'hono';
import { isTransitionError, type LeadState } from '../../domain/lifecycle/index.ts';
import { readLead } from '../../app/readLead.ts';
import type { Caller, WorkflowDeps } from '../../app/deps.ts';
import { assignLead } from '../../app/assignLead.ts';
import { acknowledgeLead } from '../../app/acknowledgeLead.ts';
import { submitFeedback } from '../../app/submitFeedback.ts';
import { reviewLead } from '../../app/reviewLead.ts';
import { requestExtension } from '../../app/requestExtension.ts';
import { decideExtension } from '../../app/decideExtension.ts';
import { rejectLead } from '../../app/rejectLead.ts';
import { transferLead } from '../../app/transferLead.ts';
import { closeLead } from '../../app/closeLead.ts';
import { mergeLead } from '../../app/mergeLead.ts';
import { unmergeLead } from '../../app/unmergeLead.ts';
import { recordFollowUp } from '../../app/recordFollowUp.ts';
import type { AppEnv } from '../context.ts';
import { HttpProblem, notFound } from '../problem.ts';
import { noStore, readDeps, viewerOf } from './leads.ts';
import { readJson } from '../body.ts';

export { actorOf, transitionContext } from '../../app/transitionContext.ts';

type UseCase = (deps: WorkflowDeps, caller: Caller, id: string, input: unknown) => Promise<LeadState>;

/** A use case's refusal as the API's problem+json. */
export function transitionProblem(err: unknown): unknown {
  if (!isTransitionError(err)) return err;
  const slug = { forbidden: 'forbidden', 'not-found': 'not-found', state: 'state-conflict', invalid: 'invalid-request' }[err.code];
  const title = { forbidden: '无权操作', 'not-found': '未找到', state: '当前状态不允许该操作', invalid: '请求内容不符合要求' }[err.code];
  return new HttpProblem(err.httpStatus as 403, slug, title, err.message, err.errors.length ? { errors: err.errors } : {});
}

/** Runs one use case; afterwards answers the lead as its caller may see it. */
async function run(c: Context<AppEnv>, useCase: UseCase) {
  const { deps, principal } = c.var;
  const id = c.req.param('id')!;
  const body = await readJson(c);
  try {
    await useCase(deps, principal, id, body);
  } catch (err) {
    throw transitionProblem(err);
  }
  // Answered as the caller may see it, masked even for the bureau: working a lead does not unmask it.
  const view = await readLead(readDeps(deps), viewerOf(principal), id, { unmask: false });
  if (!view) throw notFound();
  noStore(c);
  return c.json(view);
}

export function workflowRoutes() {
  const app = new Hono<AppEnv>();
  app.post('/:id/assign', (c) => run(c, assignLead));
  app.post('/:id/acknowledge', (c) => run(c, acknowledgeLead));
  app.post('/:id/feedback', (c) => run(c, submitFeedback));
  app.post('/:id/review', (c) => run(c, reviewLead));
  app.post('/:id/extension', (c) => run(c, requestExtension));
  app.post('/:id/extension/decision', (c) => run(c, decideExtension));
  app.post('/:id/reject', (c) => run(c, rejectLead));
  app.post('/:id/transfer', (c) => run(c, transferLead));
  app.post('/:id/close', (c) => run(c, closeLead));
  app.post('/:id/merge', (c) => run(c, mergeLead));
  app.post('/:id/unmerge', (c) => run(c, unmergeLead));
  app.post('/:id/follow-up', (c) => run(c, recordFollowUp));
  return app;
}
