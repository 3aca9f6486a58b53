// Bearer tokens: only their SHA-256 is stored; the token is shown once, at creation.
import type { Kysely } from 'kysely';
import { sha256Hex } from '../../domain/crypto.ts';
import type { Role } from '../../domain/types.ts';
import type { DB } from '../schema/index.ts';
import { write } from '../write.ts';

export interface Principal {
  tokenId: string;
  role: Role;
  agency?: string;
  supervisorId?: string;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `xs_${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export async function createToken(
  db: Kysely<DB>,
  spec: { role: Role; agency?: string; supervisorId?: string; label?: string },
  at: string, actor: string,
): Promise<{ id: string; token: string }> {
  const token = randomToken();
  const hash = sha256Hex(token);
  const id = `tok_${hash.slice(0, 12)}`;
  await write(db, async (tx, rec) => {
    await tx.insertInto('tokens').values({
      id, hash, role: spec.role, agency: spec.agency ?? null, supervisor_id: spec.supervisorId ?? null,
      label: spec.label ?? null, created_at: at, revoked_at: null,
    }).execute();
    rec.record({
      leadId: null, actor, action: 'token.created', at,
      data: { tokenId: id, role: spec.role, agency: spec.agency ?? null, supervisorId: spec.supervisorId ?? null },
    });
  });
  return { id, token };
}

export async function findPrincipal(db: Kysely<DB>, token: string): Promise<Principal | undefined> {
  const row = await db.selectFrom('tokens').selectAll().where('hash', '=', sha256Hex(token))
    .where('revoked_at', 'is', null).executeTakeFirst();
  if (!row) return undefined;
  const p: Principal = { tokenId: row.id, role: row.role as Role };
  if (row.agency) p.agency = row.agency;
  if (row.supervisor_id) p.supervisorId = row.supervisor_id;
  return p;
}
