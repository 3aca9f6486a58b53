// Web sessions and one-time sign-in links. Only SHA-256 hashes of the cookie's id and of a link's
// code are stored; a session always stems from a bearer token, and ends when that token is revoked.
// Each write is a plan committed through the handle's backend (one transaction, or one D1 batch).
import type { Kysely } from 'kysely';
import { sha256Hex } from '../../domain/crypto.ts';
import type { Role } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';
import { planAndCommit, PlanConflict, type Plan } from '../../domain/plan.ts';
import { commitPlan } from '../commit.ts';
import type { Principal } from './tokens.ts';

/** The bootstrapping admin token of the environment has no row in `tokens`. */
export const ENV_ADMIN_TOKEN_ID = 'env:XIANSUO_ADMIN_TOKEN';

/** `bytes` random bytes as base64url (16 bytes = 128 bits). */
export function randomCode(bytes = 16): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  let bin = '';
  for (const x of b) bin += String.fromCharCode(x);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export interface SessionTimes {
  now: string;
  /** Absolute expiry of a new session. */
  expiresAt: string;
}

export async function createSession(db: Kysely<DB>, p: Principal, t: SessionTimes): Promise<{ id: string; csrf: string }> {
  const id = randomCode(16);
  const csrf = randomCode(16);
  await commitPlan(db, {
    guards: [], counters: [],
    writes: [{
      kind: 'insert', table: 'sessions', row: {
        id_hash: sha256Hex(id), token_id: p.tokenId, role: p.role, agency: p.agency ?? null, supervisor_id: p.supervisorId ?? null,
        csrf, created_at: t.now, last_seen_at: t.now, expires_at: t.expiresAt, ended_at: null,
      },
    }],
    events: [{ leadId: null, actor: p.tokenId, action: 'session.started', at: t.now, data: { role: p.role } }],
  });
  return { id, csrf };
}

export interface ActiveSession {
  idHash: string;
  principal: Principal;
  csrf: string;
  lastSeenAt: string;
}

/**
 * The session behind a cookie, if it is still alive: not ended, before its absolute expiry,
 * seen since `idleSince`, and its token not revoked.
 */
export async function findSession(db: Kysely<DB>, id: string, now: string, idleSince: string): Promise<ActiveSession | undefined> {
  const row = await db.selectFrom('sessions')
    .leftJoin('tokens', 'tokens.id', 'sessions.token_id')
    .select([
      'sessions.id_hash', 'sessions.token_id', 'sessions.role', 'sessions.agency', 'sessions.supervisor_id', 'sessions.csrf',
      'sessions.last_seen_at', 'sessions.expires_at', 'sessions.ended_at', 'tokens.id as token_row', 'tokens.revoked_at', 'tokens.expires_at as token_expires_at',
    ])
    .where('sessions.id_hash', '=', sha256Hex(id)).executeTakeFirst();
  if (!row || row.ended_at !== null || row.expires_at <= now || row.last_seen_at <= idleSince) return undefined;
  if (row.token_id !== ENV_ADMIN_TOKEN_ID && (!row.token_row || row.revoked_at !== null
    || (row.token_expires_at !== null && row.token_expires_at <= now))) return undefined;
  const principal: Principal = { tokenId: row.token_id, role: row.role as Role };
  if (row.agency) principal.agency = row.agency;
  if (row.supervisor_id) principal.supervisorId = row.supervisor_id;
  return { idHash: row.id_hash, principal, csrf: row.csrf, lastSeenAt: row.last_seen_at };
}

/** Moves the idle expiry on. */
export async function touchSession(db: Kysely<DB>, idHash: string, now: string): Promise<void> {
  await commitPlan(db, { guards: [], events: [], counters: [], writes: [{ kind: 'update', table: 'sessions', set: { last_seen_at: now }, where: { id_hash: idHash } }] });
}

export async function endSession(db: Kysely<DB>, id: string, now: string): Promise<void> {
  const idHash = sha256Hex(id);
  await planAndCommit(committer(db), async () => {
    const row = await db.selectFrom('sessions').select('token_id').where('id_hash', '=', idHash).where('ended_at', 'is', null).executeTakeFirst();
    if (!row) return { done: undefined };
    const open = { id_hash: idHash, ended_at: null };
    const plan: Plan = {
      guards: [{ kind: 'exists', table: 'sessions', where: open, reason: '会话已结束' }],
      writes: [{ kind: 'update', table: 'sessions', set: { ended_at: now }, where: open }],
      events: [{ leadId: null, actor: row.token_id, action: 'session.ended', at: now, data: {} }],
      counters: [],
    };
    return { plan, answer: () => undefined };
  });
}

/** A one-time sign-in code for the token `tokenId`, valid until `expiresAt`. */
export async function createLoginLink(db: Kysely<DB>, tokenId: string, now: string, expiresAt: string, actor: string): Promise<string> {
  const code = randomCode(24);
  await commitPlan(db, {
    guards: [], counters: [],
    writes: [{ kind: 'insert', table: 'login_links', row: { hash: sha256Hex(code), token_id: tokenId, created_at: now, expires_at: expiresAt, used_at: null } }],
    events: [{ leadId: null, actor, action: 'login-link.created', at: now, data: { tokenId, expiresAt } }],
  });
  return code;
}

/**
 * Uses a sign-in code up: the principal it signs in, or undefined when the code is unknown,
 * expired, already used, or its token revoked. A conditional update decides races: once only.
 */
export async function redeemLoginLink(db: Kysely<DB>, code: string, now: string): Promise<Principal | undefined> {
  const hash = sha256Hex(code);
  try {
    return await planAndCommit<Principal | undefined>(committer(db), async () => {
      const link = await db.selectFrom('login_links').select(['token_id', 'used_at', 'expires_at']).where('hash', '=', hash).executeTakeFirst();
      if (!link || link.used_at !== null || link.expires_at <= now) return { done: undefined };
      const token = await db.selectFrom('tokens').selectAll().where('id', '=', link.token_id).where('revoked_at', 'is', null).executeTakeFirst();
      const unused = { hash, used_at: null };
      // The link is used up also when its token was revoked or expired meanwhile (as before: once only).
      const plan: Plan = {
        guards: [{ kind: 'exists', table: 'login_links', where: unused, reason: '登录链接已使用' }],
        writes: [{ kind: 'update', table: 'login_links', set: { used_at: now }, where: unused }],
        events: [], counters: [],
      };
      if (!token || (token.expires_at !== null && token.expires_at <= now)) return { plan, answer: () => undefined };
      plan.guards.push({ kind: 'exists', table: 'tokens', where: { id: token.id, revoked_at: null }, reason: '令牌已撤销' });
      plan.events.push({ leadId: null, actor: token.id, action: 'login-link.used', at: now, data: {} });
      const p: Principal = { tokenId: token.id, role: token.role as Role };
      if (token.agency) p.agency = token.agency;
      if (token.supervisor_id) p.supervisorId = token.supervisor_id;
      return { plan, answer: () => p };
    });
  } catch (err) {
    // Used by another request again and again meanwhile: not ours.
    if (err instanceof PlanConflict) return undefined;
    throw err;
  }
}

/** The handle's backend as a committer (the runtime binds one to every handle it makes). */
function committer(db: Kysely<DB>) {
  return { commit: (plan: Plan) => commitPlan(db, plan) };
}
