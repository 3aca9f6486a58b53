// What xiansuo tells people, as outbox messages: one e-mail, plus one message per group robot the
// agency has. The outbox keeps the template's name and its (small) input, not the rendered text:
// a notice costs a few hundred bytes on disk at intake, and is rendered when it is delivered.
import {
  renderAssignmentNotice, renderDeadLetter, renderDigest, renderExtensionDecision, renderReminder,
  renderProvisionalCalendar, renderReviewApproved, renderReviewReturned,
  type AssignmentNoticeInput, type DeadLetterInput, type DigestInput, type ExtensionDecisionInput,
  type ProvisionalCalendarInput, type RenderedMail, type ReminderInput, type ReviewApprovedInput, type ReviewReturnedInput, type TemplateContext,
} from '../notify/index.ts';
import { renderAuditHead, renderHotspots, type AuditHeadInput, type HotspotsInput } from '../notify/index.ts';
import type { Write } from '../domain/plan.ts';
import type { WorkflowDeps } from './deps.ts';
import type { Notice as PlannedNotice } from './notices.ts';
import { noticesPlan } from './runTransition.ts';

export type Template =
  | { name: 'reminder'; input: ReminderInput }
  | { name: 'assignment'; input: AssignmentNoticeInput }
  | { name: 'digest'; input: DigestInput }
  | { name: 'dead-letter'; input: DeadLetterInput }
  | { name: 'review-returned'; input: ReviewReturnedInput }
  | { name: 'review-approved'; input: ReviewApprovedInput }
  | { name: 'extension-decision'; input: ExtensionDecisionInput }
  | { name: 'provisional-calendar'; input: ProvisionalCalendarInput }
  | { name: 'audit-head'; input: AuditHeadInput }
  | { name: 'hotspots'; input: HotspotsInput };

export function render(t: Template, ctx: TemplateContext): RenderedMail {
  switch (t.name) {
    case 'reminder': return renderReminder(t.input, ctx);
    case 'assignment': return renderAssignmentNotice(t.input, ctx);
    case 'digest': return renderDigest(t.input, ctx);
    case 'dead-letter': return renderDeadLetter(t.input, ctx);
    case 'review-returned': return renderReviewReturned(t.input, ctx);
    case 'review-approved': return renderReviewApproved(t.input, ctx);
    case 'extension-decision': return renderExtensionDecision(t.input, ctx);
    case 'provisional-calendar': return renderProvisionalCalendar(t.input, ctx);
    case 'audit-head': return renderAuditHead(t.input, ctx);
    case 'hotspots': return renderHotspots(t.input, ctx);
  }
}

/** The application's notice (src/app/notices.ts) with one of the templates named here. */
export type Notice = Omit<PlannedNotice, 'template'> & { template: Template };

/** The outbox rows of notices (each sealed for the reporters of the leads it is about), for a plan. */
export async function noticeRows(deps: Pick<WorkflowDeps, 'db'>, notices: Notice[], at: string): Promise<Write[]> {
  return (await noticesPlan(deps, notices, at)).writes ?? [];
}
