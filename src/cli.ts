// The operator's command line: npx xiansuo <command>. Each command exits non-zero with a one-line reason on error.
import { parseArgs } from 'node:util';
// Each command's module is loaded when it runs: a command starts without parsing the code of the
// others (the statistics' workbook, Word and chart libraries, the HTTP app), which matters to an
// operator's shell and to the tests that start the CLI many times.
import { systemClock, shiftedClock } from './runtime/clock.ts';
import { loadConfig } from './runtime/config.ts';
import { CliError, withDatabase, type Io } from './cli/common.ts';

const usage = (TOKEN_USAGE: string, AUDIT_USAGE: string) => `用法: xiansuo <命令>
  migrate                        应用数据库迁移
  serve                          启动服务（与 npm start 相同）
${TOKEN_USAGE}
  login-link --role ROLE [--agency CODE] [--supervisor ID] [--next PATH]
                                 一次性网页登录链接（15 分钟内有效，只能用一次）
  sweep [--now 时间]              按现在（或 --now 给定的时间）执行一次期限巡查和消息投递；同一时间再执行不会重复发送
  sweep [--now 时间] --dry-run    预演：只显示将记录和发送的内容，不写入、不发送
                                 时间不带时区时按 XIANSUO_TZ 理解，如 2026-03-05T09:00
  outbox [--status pending|dead|all] [--limit N]
                                 发件箱：待发送和已放弃的消息及最后的错误
  outbox retry ID                立即重发一条消息
  mail show [FILE…|--last N]     查看写入 XIANSUO_MAIL_DIR 的 .eml 邮件
  config export                  输出当前生效的配置（可编辑后作为 XIANSUO_CONFIG）
  config check FILE              校验一个配置文件
  backup FILE                    在线备份 SQLite 数据库（服务运行时也可）；PostgreSQL 请用 pg_dump
  stats [--from DATE] [--to DATE] [--format json|csv|xlsx] [--table KEY] [--out FILE]
                                 统计数据（默认 JSON，本年度至今）
${AUDIT_USAGE}
  sources [--json]               各来源的接收记录（按应答计数、最近一次拒收原因）与回调状态

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
      const { applyMigrations } = await import('./runtime/services.ts');
      const applied = await withDatabase(config, applyMigrations);
      out(applied.length ? `已应用迁移：${applied.join(', ')}` : '数据库已是最新');
      return 0;
    }
    case 'serve': {
      const { runService } = await import('./runtime/node.ts');
      runService(config);
      return await new Promise<number>(() => {});
    }
    case 'token':
      return (await import('./cli/tokens.ts')).tokenCommand(sub, rest, { config, clock, out });
    case 'login-link':
      return (await import('./cli/loginLink.ts')).loginLink([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, out);
    case 'sweep':
      return (await import('./cli/sweep.ts')).sweepCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, io);
    case 'outbox':
      return (await import('./cli/outbox.ts')).outboxCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, io);
    case 'mail':
      return (await import('./cli/mail.ts')).mailCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, io);
    case 'config':
      return (await import('./cli/config.ts')).configCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, io);
    case 'backup':
      return (await import('./cli/backup.ts')).backupCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, io);
    case 'stats':
      return (await import('./cli/stats.ts')).statsCommand([sub, ...rest].filter((x): x is string => x !== undefined), config, clock, out, (m) => new CliError(m));
    case 'sources': {
      const { values } = parseArgs({ args: [sub, ...rest].filter((x): x is string => x !== undefined), strict: true, options: { json: { type: 'boolean' } } });
      const { sourcesReport, sourcesText } = await import('./cli/sources.ts');
      const items = await withDatabase(config, (d) => sourcesReport(d, config));
      if (values.json) out(JSON.stringify(items, null, 2));
      else sourcesText(items).forEach((line) => out(line));
      return 0;
    }
    case 'audit':
      return (await import('./cli/audit.ts')).auditCommand(sub, rest, { config, clock, out });
    case undefined:
    case 'help':
    case '--help':
      out(usage((await import('./cli/tokens.ts')).TOKEN_USAGE, (await import('./cli/audit.ts')).AUDIT_USAGE));
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
