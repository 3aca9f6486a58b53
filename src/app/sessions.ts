// Web sessions as the application sees them: how long they live (30 minutes idle, 12 hours in
// all), starting one for a principal, finding the live one behind a cookie, ending it, and the
// one-time sign-in links that start one.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema/index.ts';
import {
  createLoginLink as storeLink, createSession, endSession, findSession, redeemLoginLink as redeem, touchSession,
  type ActiveSession,
} from '../db/stores/sessions.ts';
import { createToken, type Principal } from '../db/stores/tokens.ts';
import type { Clock, Role } from '../domain/types.ts';

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3_600_000;
export const LOGIN_LINK_TTL_MS = 15 * 60_000;
/** The idle clock is moved on at most this often (one write per minute of use, not per request). */
const TOUCH_EVERY_MS = 60_000;

interface SessionDeps { db: Kysely<DB>; reader: Kysely<DB>; clock: Clock }

/** A new session for the principal: its cookie id (shown once, stored hashed). */
export async function startSession(deps: SessionDeps, principal: Principal): Promise<string> {
  const now = deps.clock.now();
  const { id } = await createSession(deps.db, principal, {
    now: now.toISOString(), expiresAt: new Date(now.getTime() + ABSOLUTE_MS).toISOString(),
  });
  return id;
}

/** The live session behind a cookie id (its idle clock moved on), or undefined. */
export async function currentSession(deps: SessionDeps, id: string): Promise<ActiveSession | undefined> {
  const now = deps.clock.now();
  const found = await findSession(deps.reader, id, now.toISOString(), new Date(now.getTime() - IDLE_MS).toISOString());
  if (found && now.getTime() - Date.parse(found.lastSeenAt) >= TOUCH_EVERY_MS) await touchSession(deps.db, found.idHash, now.toISOString());
  return found;
}

export function endSessionNow(deps: SessionDeps, id: string): Promise<void> {
  return endSession(deps.db, id, deps.clock.now().toISOString());
}

/** Uses a one-time sign-in code up: the principal it signs in, or undefined. */
export function redeemLoginLink(deps: SessionDeps, code: string): Promise<Principal | undefined> {
  return redeem(deps.db, code, deps.clock.now().toISOString());
}

/**
 * A one-time sign-in code for a new token of the given role (label 一次性登录链接): revoking that
 * token ends whatever session the link started.
 */
export async function issueLoginLink(
  deps: Pick<SessionDeps, 'db' | 'clock'>, spec: { role: Role; agency?: string; supervisorId?: string }, actor: string,
): Promise<{ code: string; expiresAt: string }> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS).toISOString();
  // The token itself is never shown; it lives only as long as the longest session the link can start.
  const tokenExpiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS + ABSOLUTE_MS).toISOString();
  const { id } = await createToken(deps.db, { ...spec, label: '一次性登录链接', expiresAt: tokenExpiresAt }, now.toISOString(), actor);
  return { code: await storeLink(deps.db, id, now.toISOString(), expiresAt, actor), expiresAt };
}
