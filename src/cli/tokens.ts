// npx xiansuo token create | list | revoke: the life cycle of bearer tokens. Every change is
// recorded in the full-process record with the actor `cli`; the list never shows a token or its hash.
import { parseArgs } from 'node:util';
import { findAgency } from '../domain/directory.ts';
import { ROLES, type Clock, type Role } from '../domain/types.ts';
import { createApiToken } from '../app/createApiToken.ts';
import { listApiTokens } from '../app/listApiTokens.ts';
import { revokeApiToken } from '../app/revokeApiToken.ts';
import type { TokenInfo } from '../domain/tokens.ts';
import { tokenStore } from '../runtime/ports.ts';
import type { Config } from '../runtime/config.ts';
import { prepareDatabase } from '../runtime/services.ts';
import { CliError, localTime, withDatabase } from './common.ts';

/** Tokens of every role but admin expire after this many days unless --expires says otherwise. */
export const DEFAULT_EXPIRY_DAYS = 180;

export const TOKEN_USAGE = `  token create --role ROLE [--agency CODE] [--supervisor ID] [--label TEXT] [--expires 90d|12h|never]
                                 创建令牌，只显示一次（ROLE: admin|bureau|agency|supervisor|viewer；
                                 非管理员令牌默认 ${DEFAULT_EXPIRY_DAYS} 天后到期，管理员令牌默认不过期）
  token list [--json]            列出令牌（编号、角色、范围、创建、最近使用、到期、吊销；不显示令牌本身）
  token revoke ID                吊销令牌，各实例立即拒绝`;

/**
 * When a token made at `now` expires: `Nd` days or `Nh` hours from now, `never` (admin only), or by
 * default DEFAULT_EXPIRY_DAYS days for every role but admin. Null: never.
 */
export function expiryOf(text: string | undefined, role: Role, now: Date): string | null {
  if (text === undefined) return role === 'admin' ? null : new Date(now.getTime() + DEFAULT_EXPIRY_DAYS * 86_400_000).toISOString();
  if (text === 'never') {
    if (role !== 'admin') throw new CliError('只有管理员令牌可以不设到期时间（--expires never）');
    return null;
  }
  const m = /^([1-9]\d{0,4})([dh])$/.exec(text);
  if (!m) throw new CliError(`--expires 应为天数或小时数，如 90d、12h（或管理员令牌的 never），收到 “${text}”`);
  const ms = Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
  return new Date(now.getTime() + ms).toISOString();
}

export function scopeOf(t: Pick<TokenInfo, 'role' | 'agency' | 'supervisorId'>): string {
  if (t.agency) return `单位 ${t.agency}`;
  if (t.supervisorId) return `监督员 ${t.supervisorId}`;
  return t.role === 'viewer' ? '只读' : '全部';
}

export function statusOf(t: Pick<TokenInfo, 'revokedAt' | 'expiresAt'>, now: Date): string {
  if (t.revokedAt) return '已吊销';
  if (t.expiresAt && t.expiresAt <= now.toISOString()) return '已过期';
  return '有效';
}

/** One line per token, columns separated by two spaces; times in the bureau's zone. */
export function tokenTable(tokens: TokenInfo[], now: Date, tz: string): string[] {
  const time = (at: string | null, none: string) => (at ? localTime(at, tz) : none);
  const rows = [['编号', '角色', '范围', '创建时间', '最近使用', '到期时间', '吊销时间', '状态', '备注']].concat(tokens.map((t) => [
    t.id, t.role, scopeOf(t), time(t.createdAt, '—'), time(t.lastUsedAt, '从未使用'), time(t.expiresAt, '不过期'),
    time(t.revokedAt, '—'), statusOf(t, now), t.label ?? '',
  ]));
  // Wide (CJK) characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\uFFFF]/.test(ch) ? 2 : 1), 0);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i]!))));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell)))).join('  ').trimEnd());
}

export async function tokenCommand(
  sub: string | undefined, args: string[], ctx: { config: Config; clock: Clock; out: (s: string) => void },
): Promise<number> {
  const { config, clock, out } = ctx;
  switch (sub) {
    case 'create': {
      const { values } = parseArgs({
        args, strict: true,
        options: {
          role: { type: 'string' }, agency: { type: 'string' }, supervisor: { type: 'string' }, label: { type: 'string' },
          expires: { type: 'string' },
        },
      });
      const role = values.role as Role | undefined;
      if (!role || !ROLES.includes(role)) throw new CliError(`--role 必须是 ${ROLES.join('|')} 之一`);
      if (role === 'agency' && !values.agency) throw new CliError('agency 角色需要 --agency CODE');
      if (role === 'agency' && !findAgency(config.directory, values.agency!)) {
        throw new CliError(`未知的单位代码 “${values.agency}”`);
      }
      if (role === 'supervisor' && !values.supervisor) throw new CliError('supervisor 角色需要 --supervisor ID');
      if (role !== 'agency' && values.agency) throw new CliError('--agency 只用于 agency 角色');
      if (role !== 'supervisor' && values.supervisor) throw new CliError('--supervisor 只用于 supervisor 角色');
      const now = clock.now();
      const expiresAt = expiryOf(values.expires, role, now);
      const { id, token } = await withDatabase(config, async (d) => {
        await prepareDatabase(d, config, clock);
        return createApiToken({ tokens: tokenStore(d), clock: { now: () => now } },
          { role, agency: values.agency, supervisorId: values.supervisor, label: values.label, expiresAt }, 'cli');
      });
      const scope = `${values.agency ? `，单位 ${values.agency}` : ''}${values.supervisor ? `，监督员 ${values.supervisor}` : ''}`;
      const until = expiresAt ? `，${localTime(expiresAt, config.tz)} 到期` : '，不过期';
      out(`已创建令牌 ${id}（角色 ${role}${scope}${until}）。令牌只显示这一次，请妥善保存：`);
      out(token);
      return 0;
    }
    case 'list': {
      const { values } = parseArgs({ args, strict: true, options: { json: { type: 'boolean' } } });
      const tokens = await withDatabase(config, async (d) => {
        await prepareDatabase(d, config, clock);
        return listApiTokens({ tokens: tokenStore(d) });
      });
      if (values.json) out(JSON.stringify(tokens, null, 2));
      else if (tokens.length === 0) out('还没有令牌（XIANSUO_ADMIN_TOKEN 不在此列）');
      else for (const line of tokenTable(tokens, clock.now(), config.tz)) out(line);
      return 0;
    }
    case 'revoke': {
      const { positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new CliError('用法: xiansuo token revoke ID（编号见 xiansuo token list）');
      const id = positionals[0]!;
      const now = clock.now();
      const r = await withDatabase(config, async (d) => {
        await prepareDatabase(d, config, clock);
        return revokeApiToken({ tokens: tokenStore(d), clock: { now: () => now } }, id, 'cli');
      });
      if (r.kind === 'unknown') throw new CliError(`没有编号为 “${id}” 的令牌（编号见 xiansuo token list）`);
      if (r.kind === 'already') out(`令牌 ${id} 已于 ${localTime(r.at, config.tz)} 吊销，无需再次吊销`);
      else out(`已吊销令牌 ${id}：各实例对它的下一个请求即答 401`);
      return 0;
    }
    default:
      throw new CliError('用法: xiansuo token create|list|revoke …；运行 xiansuo help 查看用法');
  }
}
