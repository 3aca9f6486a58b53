// Notices as outbox rows (src/domain/notices.ts), with the outbox ids the application makes.
import { noticeWrites as noticeWritesWith, outboxIds, type MaskFor, type Notice } from '../domain/notices.ts';
import type { Write } from '../domain/plan.ts';

export {
  agencyOrPlaceholder, assignmentNotices, noticeLeads, type MaskFor, type Notice, type NoticeTemplate,
} from '../domain/notices.ts';

/** A fresh outbox row id. */
export const outboxId = outboxIds(() => crypto.randomUUID());

/** The outbox rows of a notice (each added unless its key is there already). */
export function noticeWrites(n: Notice, maskFor: MaskFor, at: string): Write[] {
  return noticeWritesWith(n, maskFor, at, outboxId);
}
