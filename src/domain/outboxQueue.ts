// The outbox as operators see it (GET /api/outbox, `xiansuo outbox`): messages waiting or given up,
// with their last error; and the port the outbox store implements (src/db/stores/outboxQueue.ts).

/** `template` is a template name and its input; rendered at delivery. */
export type OutboxMessage =
  | { kind: 'mail'; to: string[]; cc: string[]; template: { name: string; input: unknown } }
  | { kind: 'robot'; robot: { kind: 'wecom' | 'dingtalk' | 'feishu'; url: string; secret?: string }; template: { name: string; input: unknown } };

export const OUTBOX_STATUSES = ['pending', 'dead', 'sent'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxEntry {
  id: string;
  key: string;
  status: OutboxStatus;
  channel: 'mail' | 'robot';
  leadId: string | null;
  agency: string | null;
  message: OutboxMessage;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  firstAttemptAt: string | null;
  sentAt: string | null;
  lastError: string | null;
}

export interface OutboxQuery {
  statuses: OutboxStatus[];
  limit: number;
  /** The last entry of the previous page. */
  after?: { createdAt: string; id: string };
}

export interface OutboxQueueReads {
  /** Oldest first, at most `limit`; `more` when another page follows. */
  list(q: OutboxQuery): Promise<{ items: OutboxEntry[]; more: boolean }>;
  count(): Promise<Record<OutboxStatus, number>>;
  find(id: string): Promise<OutboxEntry | undefined>;
}
