// The operator's command line: npx xiansuo <command>. Each command exits non-zero with a one-line reason on error.
import { parseArgs } from 'node:util';
import { ROLES } from './domain/types.ts';
import type { Role } from './domain/types.ts';
import { verifyAudit } from './db/stores/audit.ts';
import { createToken } from './db/stores/tokens.ts';
import { findAgency } from './domain/directory.ts';
import { systemClock, shiftedClock } from './runtime/clock.ts';
import { loadConfig } from './runtime/config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { prepareDatabase } from './runtime/services.ts';
import { periodStats } from './db/stores/stats.ts';
import { periodOf } from './http/routes/stats.ts';
import { isIsoDate } from './domain/calendar/index.ts';
import { CliError, withDatabase, type Io } from './cli/common.ts';
import { sweepCommand } from './cli/sweep.ts';
import { outboxCommand } from './cli/outbox.ts';
import { configCommand } from './cli/config.ts';
import { backupCommand } from './cli/backup.ts';
import { mailCommand } from './cli/mail.ts';

const USAGE = `用法: xiansuo <命令>
  migrate                        应用数据库迁移
  serve                          启动服务（与 npm start 相同）
  token create --role ROLE [--agency CODE] [--supervisor ID] [--label TEXT]
                                 创建令牌，只显示一次（ROLE: ${'admin|bureau|agency|supervisor|viewer'}）
  sweep                          立即执行一次期限巡查和消息投递（供 cron 调用）
  sweep --now 时间 [--send]       预演某一时间的巡查：只显示将发送的消息，不写入；加 --send 才执行（不能是将来的时间）
                                 时间不带时区时按 XIANSUO_TZ 理解，如 2026-03-05T09:00
  outbox [--status pending|dead|all] [--limit N]
                                 发件箱：待发送和已放弃的消息及最后的错误
  outbox retry ID                立即重发一条消息
  mail show [FILE…|--last N]     查看写入 XIANSUO_MAIL_DIR 的 .eml 邮件
  config export                  输出当前生效的配置（可编辑后作为 XIANSUO_CONFIG）
  config check FILE              校验一个配置文件
  backup FILE                    在线备份 SQLite 数据库（服务运行时也可）；PostgreSQL 请用 pg_dump
  stats [--from DATE] [--to DATE] 统计数据（JSON），默认本年度至今
  audit verify                   校验全过程记录的哈希链

设置来自环境变量和当前目录的 xiansuo.env（或 XIANSUO_ENV_FILE 指定的文件），与服务相同。`;

export async function main(
  argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  note: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): Promise<number> {
  const [command, sub, ...rest] = argv;
  const io: Io = { out, note };
  const config = loadConfig();
  const clock = config.clockStart ? shiftedClock(config.clockStart) : systemClock;
  switch (command) {
    case 'migrate': {
      const result = await withDatabase(config, (d) => migrateToLatest(d.db, d.pgSchema));
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      out(applied.length ? `已应用迁移：${applied.join(', ')}` : '数据库已是最新');
      return 0;
    }
    case 'serve': {
      const { runService } = await import('./runtime/node.ts');
      runService(config);
      return await new Promise<number>(() => {});
    }
    case 'token': {
      if (sub !== 'create') throw new CliError('用法: xiansuo token create --role ROLE [--agency CODE] [--supervisor ID]');
      const { values } = parseArgs({
        args: rest, strict: true,
        options: { role: { type: 'string' }, agency: { type: 'string' }, supervisor: { type: 'string' }, label: { type: 'string' } },
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
      const { id, token } = await withDatabase(config, async (d) => {
        await prepareDatabase(d, config, clock);
        return createToken(d.db, { role, agency: values.agency, supervisorId: values.supervisor, label: values.label },
          clock.now().toISOString(), 'cli');
      });
      out(`已创建令牌 ${id}（角色 ${role}${values.agency ? `，单位 ${values.agency}` : ''}${values.supervisor ? `，监督员 ${values.supervisor}` : ''}）。令牌只显示这一次，请妥善保存：`);
      out(token);
      return 0;
    }
    case 'sweep':
      return sweepCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, io);
    case 'outbox':
      return outboxCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, io);
    case 'mail':
      return mailCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, io);
    case 'config':
      return configCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, io);
    case 'backup':
      return backupCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, io);
    case 'stats': {
      const { values } = parseArgs({ args: [sub, ...rest].filter((x): x is string => x !== undefined), strict: true, options: { from: { type: 'string' }, to: { type: 'string' } } });
      for (const [name, v] of Object.entries(values)) {
        if (v && !isIsoDate(v)) throw new CliError(`--${name} 应为有效日期 YYYY-MM-DD，收到 “${v}”`);
      }
      const now = clock.now();
      const stats = await withDatabase(config, (d) => periodStats(d.db, periodOf(values.from, values.to, now, config.tz), now.toISOString()));
      out(JSON.stringify(stats, null, 2));
      return 0;
    }
    case 'audit': {
      if (sub !== 'verify') throw new CliError('用法: xiansuo audit verify');
      const result = await withDatabase(config, (d) => verifyAudit(d.db));
      if (result.ok) {
        out(`全过程记录完整：已校验 ${result.checked} 条`);
        return 0;
      }
      out(`全过程记录被破坏：第 ${result.seq} 条：${result.reason}（此前 ${result.checked} 条完好）`);
      return 1;
    }
    case undefined:
    case 'help':
    case '--help':
      out(USAGE);
      return command ? 0 : 1;
    default:
      throw new CliError(`未知命令 “${command}”；运行 xiansuo help 查看用法`);
  }
}

/** Runs a command and exits with its code; errors become one line on standard error. */
export function runCli(argv: string[]): void {
  main(argv).then((code) => process.exit(code), (err) => {
    process.stderr.write(`xiansuo: ${(err as Error).message.split('\n')[0]}\n`);
    process.exit(err instanceof CliError ? 2 : 1);
  });
}

if (process.argv[1]?.endsWith('src/cli.ts')) runCli(process.argv.slice(2));
