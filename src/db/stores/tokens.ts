// Bearer tokens: only their SHA-256 is stored; the token is shown once, at creation. A token has a
// life cycle: it may expire (expires_at), be revoked (revoked_at), and remembers when it was last
// used (last_used_at, written at most once a minute per token). Every request reads the token's
// row (a unique index on its hash): nothing is cached, so a revocation or an expiry holds at the
// next request on every instance. Each write is a plan committed through the handle's backend.
import type { Kysely } from 'kysely';
import { sha256Hex } from '../../domain/crypto.ts';
import type { Role } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';
import { planAndCommit, type Plan } from '../../domain/plan.ts';
import { commitPlan } from '../commit.ts';

import type { Principal, TokenInfo } from '../../domain/tokens.ts';

export type { Principal, TokenInfo } from '../../domain/tokens.ts';

/** last_used_at is written at most this often per token. */
export const LAST_USED_EVERY_MS = 60_000;

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `xs_${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export async function createToken(
  db: Kysely<DB>,
  spec: { role: Role; agency?: string; supervisorId?: string; label?: string; expiresAt?: string | null },
  at: string, actor: string,
): Promise<{ id: string; token: string }> {
  const token = randomToken();
  const hash = sha256Hex(token);
  const id = `tok_${hash.slice(0, 12)}`;
  const expiresAt = spec.expiresAt ?? null;
  await commitPlan(db, {
    guards: [], counters: [],
    writes: [{
      kind: 'insert', table: 'tokens', row: {
        id, hash, role: spec.role, agency: spec.agency ?? null, supervisor_id: spec.supervisorId ?? null,
        label: spec.label ?? null, created_at: at, revoked_at: null, expires_at: expiresAt, last_used_at: null,
      },
    }],
    events: [{
      leadId: null, actor, action: 'token.created', at,
      data: { tokenId: id, role: spec.role, agency: spec.agency ?? null, supervisorId: spec.supervisorId ?? null, expiresAt },
    }],
  });
  return { id, token };
}

export type RevokeOutcome = { kind: 'revoked'; at: string } | { kind: 'already'; at: string } | { kind: 'unknown' };

export async function revokeToken(db: Kysely<DB>, id: string, at: string, actor: string): Promise<RevokeOutcome> {
  return planAndCommit<RevokeOutcome>(committer(db), async () => {
    const row = await db.selectFrom('tokens').select(['id', 'role', 'revoked_at']).where('id', '=', id).executeTakeFirst();
    if (!row) return { done: { kind: 'unknown' } };
    if (row.revoked_at) return { done: { kind: 'already', at: row.revoked_at } };
    const live = { id, revoked_at: null };
    const plan: Plan = {
      guards: [{ kind: 'exists', table: 'tokens', where: live, reason: '令牌已撤销' }],
      writes: [{ kind: 'update', table: 'tokens', set: { revoked_at: at }, where: live }],
      events: [{ leadId: null, actor, action: 'token.revoked', at, data: { tokenId: id, role: row.role } }],
      counters: [],
    };
    return { plan, answer: () => ({ kind: 'revoked', at }) };
  });
}

export async function listTokens(db: Kysely<DB>): Promise<TokenInfo[]> {
  const rows = await db.selectFrom('tokens')
    .select(['id', 'role', 'agency', 'supervisor_id', 'label', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'])
    .orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, role: r.role as Role, agency: r.agency, supervisorId: r.supervisor_id, label: r.label,
    createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
  }));
}

export type Lookup =
  | { kind: 'ok'; principal: Principal; lastUsedAt: string | null }
  | { kind: 'unknown' }
  | { kind: 'revoked' }
  | { kind: 'expired' };

/** Finds the token's principal as of `now`; a revoked or expired token is refused. */
export async function lookupToken(reader: Kysely<DB>, token: string, now: Date): Promise<Lookup> {
  const row = await reader.selectFrom('tokens')
    .select(['id', 'role', 'agency', 'supervisor_id', 'revoked_at', 'expires_at', 'last_used_at'])
    .where('hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  if (row.revoked_at) return { kind: 'revoked' };
  if (row.expires_at && row.expires_at <= now.toISOString()) return { kind: 'expired' };
  const p: Principal = { tokenId: row.id, role: row.role as Role };
  if (row.agency) p.agency = row.agency;
  if (row.supervisor_id) p.supervisorId = row.supervisor_id;
  return { kind: 'ok', principal: p, lastUsedAt: row.last_used_at };
}

/** Whether a use at `now` should be written: the last one written is a minute old or more. */
export function useIsNews(lastUsedAt: string | null, now: Date): boolean {
  return lastUsedAt === null || Date.parse(lastUsedAt) <= now.getTime() - LAST_USED_EVERY_MS;
}

/** Records a use; conditional, so that several instances seeing the same stale value write once. */
export async function recordTokenUse(db: Kysely<DB>, id: string, now: Date): Promise<void> {
  const row = await db.selectFrom('tokens').select('last_used_at').where('id', '=', id).executeTakeFirst();
  if (!row || !useIsNews(row.last_used_at, now)) return;
  // Only over the value read: of several instances that read the same stale value, one writes.
  await commitPlan(db, {
    guards: [], events: [], counters: [],
    writes: [{ kind: 'update', table: 'tokens', set: { last_used_at: now.toISOString() }, where: { id, last_used_at: row.last_used_at } }],
  });
}

/** The handle's backend as a committer (the runtime binds one to every handle it makes). */
function committer(db: Kysely<DB>) {
  return { commit: (plan: Plan) => commitPlan(db, plan) };
}

export async function findPrincipal(db: Kysely<DB>, token: string, now: Date = new Date()): Promise<Principal | undefined> {
  const r = await lookupToken(db, token, now);
  return r.kind === 'ok' ? r.principal : undefined;
}
