// The stores as the ports the use cases take (src/domain/*: TokenStore, OutboxQueueReads,
// SourceLogReads, AuditVerifier, QueueReads): wired here, where the handles are known, for the app's
// dependencies (services.ts, workerDeps.ts) and the operator's commands (src/cli).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import { verifyAudit } from '../db/stores/audit.ts';
import { campaignLeadList } from '../db/stores/campaigns.ts';
import { reportsOf } from '../db/stores/leads.ts';
import { countOutbox, findOutbox, listOutbox } from '../db/stores/outboxQueue.ts';
import {
  agencyQueue, assignmentsOf, attentionCounts, leadHeads, mergedChildren, queuePage, reportTexts, workflowDetail,
} from '../db/stores/queue.ts';
import { sourceOverview } from '../db/stores/sourceLog.ts';
import { createToken, listTokens, lookupToken, recordTokenUse, revokeToken, useIsNews } from '../db/stores/tokens.ts';
import type { AuditVerifier } from '../domain/auditReport.ts';
import type { OutboxQueueReads } from '../domain/outboxQueue.ts';
import type { QueueReads } from '../domain/queue.ts';
import type { SourceLogReads } from '../domain/sourceLog.ts';
import type { TokenStore } from '../domain/tokens.ts';

/** A database's handles: `db` writes, `reader` reads outside a write (the same handle on D1). */
export interface Handles {
  db: Kysely<DB>;
  reader: Kysely<DB>;
}

export function tokenStore({ db, reader }: Handles): TokenStore {
  return {
    lookup: (token, now) => lookupToken(reader, token, now),
    noteUse: (id, lastUsedAt, now) => (useIsNews(lastUsedAt, now) ? recordTokenUse(db, id, now) : undefined),
    create: (spec, at, actor) => createToken(db, spec, at, actor),
    revoke: (id, at, actor) => revokeToken(db, id, at, actor),
    list: () => listTokens(reader),
  };
}

export function outboxQueueReads({ reader }: Pick<Handles, 'reader'>): OutboxQueueReads {
  return {
    list: (q) => listOutbox(reader, q),
    count: () => countOutbox(reader),
    find: (id) => findOutbox(reader, id),
  };
}

export function sourceLogReads({ reader }: Pick<Handles, 'reader'>): SourceLogReads {
  return { overview: (sources, opts) => sourceOverview(reader, sources, opts) };
}

/** The pages' lists and the lead page's detail. */
export function queueReads({ reader }: Pick<Handles, 'reader'>): QueueReads {
  return {
    queuePage: (f) => queuePage(reader, f),
    assignmentsOf: (ids) => assignmentsOf(reader, ids),
    agencyQueue: (agency, page, pageSize) => agencyQueue(reader, agency, page, pageSize),
    attentionCounts: (now, soonUntil) => attentionCounts(reader, now, soonUntil),
    leadHeads: (ids) => leadHeads(reader, ids),
    mergedChildren: (id) => mergedChildren(reader, id),
    workflowDetail: (id) => workflowDetail(reader, id),
    reportTexts: (ids) => reportTexts(reader, ids),
    campaignLeads: (campaign, limit) => campaignLeadList(reader, campaign, limit),
    reportsOf: (ids) => reportsOf(reader, ids),
  };
}

/** Reads in one transaction of `db` (repeatable read on PostgreSQL). */
export function auditVerifier({ db }: Pick<Handles, 'db'>): AuditVerifier {
  return { verify: (opts) => verifyAudit(db, opts) };
}

/** The ports of the app's dependencies (AppDeps) built here. */
export function storePorts(h: Handles) {
  return { tokens: tokenStore(h), outboxQueue: outboxQueueReads(h), sourceReads: sourceLogReads(h), pages: queueReads(h) };
}
