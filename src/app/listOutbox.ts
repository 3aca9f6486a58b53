// The outbox as operators see it (GET /api/outbox, `xiansuo outbox`): how many messages wait, were
// given up or were sent, and one page of those asked for, oldest first.
import type { OutboxEntry, OutboxQuery, OutboxQueueReads, OutboxStatus } from '../domain/outboxQueue.ts';

export interface OutboxPage {
  counts: Record<OutboxStatus, number>;
  items: OutboxEntry[];
  /** Another page follows. */
  more: boolean;
}

export async function listOutbox(deps: { outbox: Pick<OutboxQueueReads, 'list' | 'count'> }, q: OutboxQuery): Promise<OutboxPage> {
  const [counts, page] = await Promise.all([deps.outbox.count(), deps.outbox.list(q)]);
  return { counts, items: page.items, more: page.more };
}
