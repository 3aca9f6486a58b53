// The operator's command line: npx xiansuo <command>. Each command exits non-zero with a one-line reason on error.
import { parseArgs } from 'node:util';
import { auditCommand, AUDIT_USAGE } from './cli/audit.ts';
import { CliError } from './cli/common.ts';
import { tokenCommand, TOKEN_USAGE } from './cli/tokens.ts';
import { systemClock, shiftedClock } from './runtime/clock.ts';
import { loadConfig, type Config } from './runtime/config.ts';
import { connect, type Database } from './runtime/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildDeps, prepareDatabase } from './runtime/services.ts';
import { silentLogger } from './runtime/log.ts';
import { sweepAndDeliver } from './jobs/index.ts';
import { loginLink } from './cli/loginLink.ts';
import { sourcesReport, sourcesText } from './cli/sources.ts';
import { statsCommand } from './cli/stats.ts';

const USAGE = `用法: xiansuo <命令>
  migrate                        应用数据库迁移
  serve                          启动服务（与 npm start 相同）
${TOKEN_USAGE}
  login-link --role ROLE [--agency CODE] [--supervisor ID] [--next PATH]
                                 一次性网页登录链接（15 分钟内有效，只能用一次）
  sweep [--now ISO-8601]         按给定时间执行一次期限巡查和邮件投递
  stats [--from DATE] [--to DATE] [--format json|csv|xlsx] [--table KEY] [--out FILE]
                                 统计数据（默认 JSON，本年度至今）
${AUDIT_USAGE}
  sources [--json]               各来源的接收记录（按应答计数、最近一次拒收原因）与回调状态`;

async function withDatabase<T>(config: Config, fn: (d: Database) => Promise<T>): Promise<T> {
  const database = connect(config.databaseUrl);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const [command, sub, ...rest] = argv;
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
      const { serve } = await import('./runtime/node.ts');
      const s = await serve(config);
      const stop = () => void s.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      return await new Promise<number>(() => {});
    }
    case 'token':
      return tokenCommand(sub, rest, { config, clock, out });
    case 'login-link':
      return loginLink([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, out);
    case 'sweep': {
      const { values } = parseArgs({ args: [sub, ...rest].filter((x): x is string => x !== undefined), strict: true, options: { now: { type: 'string' } } });
      const now = values.now ? new Date(values.now) : clock.now();
      if (values.now && (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(values.now))) {
        throw new CliError(`--now 应为 ISO 8601 时间，如 2026-03-05T09:00:00+08:00，收到 “${values.now}”`);
      }
      const result = await withDatabase(config, async (d) => {
        await prepareDatabase(d, config, clock);
        const deps = await buildDeps(d, config, { now: () => now }, silentLogger);
        return sweepAndDeliver(deps, now);
      });
      out(`巡查完成（${now.toISOString()}）：检查 ${result.assignments} 项交办，新提醒 ${result.reminders} 条，` +
        `补记 ${result.superseded} 条，每日汇总 ${result.digests} 份；投递成功 ${result.sent}，待重试 ${result.retried}，放弃 ${result.dead}` +
        `；回调送达 ${result.callbacks.sent}，待重试 ${result.callbacks.retried}，放弃 ${result.callbacks.dead}`);
      return 0;
    }
    case 'stats':
      return statsCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, out, (m) => new CliError(m));
    case 'sources': {
      const { values } = parseArgs({ args: [sub, ...rest].filter((x): x is string => x !== undefined), strict: true, options: { json: { type: 'boolean' } } });
      const items = await withDatabase(config, (d) => sourcesReport(d.db, config));
      if (values.json) out(JSON.stringify(items, null, 2));
      else sourcesText(items).forEach((line) => out(line));
      return 0;
    }
    case 'audit':
      return auditCommand(sub, rest, { config, clock, out });
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
