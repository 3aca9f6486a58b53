// The transaction a write runs in, and how it records its events: the types every store's
// in-transaction code takes (kept apart from commit.ts, which calls some of those stores).
import type { Transaction } from 'kysely';
import type { EventDraft } from '../domain/audit.ts';
import type { DB } from './schema/index.ts';

export type Tx = Transaction<DB>;

export interface Recorder {
  record(...events: EventDraft[]): void;
  /** Runs once the work is committed (never when it is rolled back): caches, wake-ups. */
  afterCommit(fn: () => void): void;
}
