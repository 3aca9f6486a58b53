// npx xiansuo login-link --role ROLE [--agency CODE] [--supervisor ID] [--next PATH]: a one-time
// sign-in link for the web pages, valid for 15 minutes. It stems from a new token of that role
// (label 一次性登录链接), so revoking that token ends whatever session the link started.
import { parseArgs } from 'node:util';
import { findAgency } from '../domain/directory.ts';
import { ROLES, type Clock, type Role } from '../domain/types.ts';
import { issueLoginLink } from '../app/sessions.ts';
import type { Config } from '../runtime/config.ts';
import { connect } from '../runtime/database.ts';
import { prepareDatabase } from '../runtime/services.ts';

export async function loginLink(args: string[], config: Config, clock: Clock, out: (s: string) => void): Promise<number> {
  const { values } = parseArgs({
    args, strict: true,
    options: { role: { type: 'string' }, agency: { type: 'string' }, supervisor: { type: 'string' }, next: { type: 'string' } },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) throw new Error(`--role 必须是 ${ROLES.join('|')} 之一`);
  if (role === 'agency' && !values.agency) throw new Error('agency 角色需要 --agency CODE');
  if (role === 'agency' && !findAgency(config.directory, values.agency!)) throw new Error(`未知的单位代码 “${values.agency}”`);
  if (role === 'supervisor' && !values.supervisor) throw new Error('supervisor 角色需要 --supervisor ID');
  if (role !== 'agency' && values.agency) throw new Error('--agency 只用于 agency 角色');
  if (role !== 'supervisor' && values.supervisor) throw new Error('--supervisor 只用于 supervisor 角色');
  if (values.next && (!values.next.startsWith('/') || values.next.startsWith('//'))) throw new Error('--next 应为本站路径，如 /leads/XS-2026-000123');
  const database = connect(config.databaseUrl);
  let link: { code: string; expiresAt: string };
  try {
    await prepareDatabase(database, config, clock);
    link = await issueLoginLink({ db: database.db, clock }, { role, agency: values.agency, supervisorId: values.supervisor }, 'cli');
  } finally {
    await database.close();
  }
  const query = new URLSearchParams({ code: link.code });
  if (values.next) query.set('next', values.next);
  out(`一次性登录链接（只能使用一次，${new Date(link.expiresAt).toLocaleString('zh-CN', { timeZone: config.tz, hour12: false })} 前有效）：`);
  out(`${config.publicUrl}/login/link?${query.toString()}`);
  return 0;
}
