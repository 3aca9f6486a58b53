// `xiansuo outbox [--status pending|dead|all] [--limit N]` lists messages waiting or given up,
// with their last error; `xiansuo outbox retry ID` sends one again now.
import { parseArgs } from 'node:util';
import { listOutbox } from '../app/listOutbox.ts';
import type { OutboxStatus } from '../domain/outboxQueue.ts';
import type { Clock } from '../domain/types.ts';
import { retryMessage } from '../app/deliverOutbox.ts';
import { render, type Template } from '../app/outboxMessages.ts';
import type { Config } from '../runtime/config.ts';
import { jsonLogger } from '../runtime/log.ts';
import { outboxQueueReads } from '../runtime/ports.ts';
import { buildJobDeps } from '../runtime/services.ts';
import { redactRobotUrl } from '../notify/index.ts';
import { CliError, formatLocal, withDatabase, type Io } from './common.ts';

const STATUS_LABEL: Record<OutboxStatus, string> = { pending: '待发送', dead: '已放弃', sent: '已发送' };

export async function outboxCommand(args: string[], config: Config, clock: Clock, io: Io): Promise<number> {
  if (args[0] === 'retry') {
    const id = args[1];
    if (!id || args.length > 2) throw new CliError('用法: xiansuo outbox retry ID');
    return withDatabase(config, async (d) => {
      const now = clock.now();
      const deps = await buildJobDeps(d, config, clock, jsonLogger((l) => io.note(l)));
      const r = await retryMessage(deps, id, now, 'cli');
      if (!r.ok) {
        throw new CliError(r.reason === 'not-found' ? `没有 id 为 “${id}” 的消息（用 xiansuo outbox 查看）`
          : r.reason === 'sent' ? `消息 ${id} 已经发送过，不再重发` : `消息 ${id} 正由另一个进程投递，请稍后再试`);
      }
      const row = await d.db.selectFrom('outbox').select(['status', 'last_error', 'next_attempt_at']).where('id', '=', id).executeTakeFirstOrThrow();
      if (r.result.sent) {
        io.out(`消息 ${id} 已重新发送成功（${formatLocal(now, config.tz)}）`);
        return 0;
      }
      io.out(`消息 ${id} 重新发送失败：${row.last_error}；${row.status === 'dead' ? '已放弃' : `将于 ${formatLocal(row.next_attempt_at, config.tz)} 自动重试`}`);
      return 1;
    }, io);
  }
  const { values } = parseArgs({ args: args[0] === 'list' ? args.slice(1) : args, strict: true, options: { status: { type: 'string' }, limit: { type: 'string' } } });
  const status = values.status ?? 'all';
  const statuses: OutboxStatus[] = status === 'all' ? ['pending', 'dead'] : status === 'pending' || status === 'dead' || status === 'sent' ? [status] : [];
  if (!statuses.length) throw new CliError(`--status 应为 pending、dead、sent 或 all，收到 “${status}”`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit 应为 1–1000 的整数，收到 “${values.limit}”`);
  return withDatabase(config, async (d) => {
    const { counts, items, more } = await listOutbox({ outbox: outboxQueueReads(d) }, { statuses, limit });
    io.out(`发件箱：待发送 ${counts.pending} 条，已放弃 ${counts.dead} 条，已发送 ${counts.sent} 条`);
    const ctx = { publicUrl: config.publicUrl, timeZone: config.tz };
    for (const e of items) {
      const m = e.message;
      const to = m.kind === 'mail' ? [...m.to, ...m.cc].join(', ') : `${m.robot.kind} ${redactRobotUrl(m.robot.url)}`;
      let subject: string;
      try {
        subject = render(m.template as Template, ctx).subject;
      } catch {
        subject = `（模板 ${m.template.name}）`;
      }
      const when = e.status === 'pending' ? `下次尝试 ${formatLocal(e.nextAttemptAt, config.tz)}` : e.status === 'sent' ? `发送于 ${formatLocal(e.sentAt ?? e.createdAt, config.tz)}` : `创建于 ${formatLocal(e.createdAt, config.tz)}`;
      io.out(`${e.id}  ${STATUS_LABEL[e.status]}  已尝试 ${e.attempts} 次  ${when}${e.leadId ? `  ${e.leadId}` : ''}`);
      io.out(`    → ${to}：${subject}`);
      if (e.lastError) io.out(`    最后错误：${e.lastError.split('\n')[0]}`);
    }
    if (more) io.out(`……还有更多，用 --limit 显示更多`);
    if (!items.length) io.out('（没有符合条件的消息）');
    return 0;
  }, io);
}
