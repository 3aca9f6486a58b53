// `xiansuo sweep [--now TIME] [--send]`: one pass of the deadline sweep and of delivery.
// Without --now it is the real pass (what cron runs). With --now it is a dry run that writes
// nothing and prints what would be sent, unless --send; --send never runs at a future time
// (the full-process record would hold entries dated after they were written).
import { parseArgs } from 'node:util';
import type { Clock } from '../domain/types.ts';
import { sweepAndDeliver } from '../jobs/index.ts';
import { previewSweep } from '../jobs/preview.ts';
import type { Config } from '../runtime/config.ts';
import { jsonLogger } from '../runtime/log.ts';
import { buildJobDeps, prepareDatabase } from '../runtime/services.ts';
import { CliError, formatLocal, parseInstant, withDatabase, type Io } from './common.ts';

/** How far ahead of the clock --send still counts as now (clock skew between machines). */
const FUTURE_TOLERANCE_MS = 60_000;

export async function sweepCommand(args: string[], config: Config, clock: Clock, io: Io): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { now: { type: 'string' }, send: { type: 'boolean' } } });
  const real = clock.now();
  const now = values.now ? parseInstant(values.now, config.tz, '--now') : real;
  if (values.send && now.getTime() > real.getTime() + FUTURE_TOLERANCE_MS) {
    throw new CliError(`--send 不能用于将来的时间（${formatLocal(now, config.tz)} 晚于现在 ${formatLocal(real, config.tz)}）：全过程记录不能写入未来日期的条目；去掉 --send 可以预演`);
  }
  const when = `${formatLocal(now, config.tz)}（${config.tz}）`;
  const dryRun = values.now !== undefined && !values.send;
  return withDatabase(config, async (d) => {
    if (dryRun) {
      const deps = await buildJobDeps(d, config, { now: () => now }, jsonLogger((l) => io.note(l)));
      const p = await previewSweep(deps, now);
      io.out(`预演（未写入任何数据，未发送任何消息；加 --send 才会执行）：按 ${when} 巡查`);
      io.out(`  检查 ${p.result.assignments} 项交办，将新增提醒 ${p.result.reminders} 条、补记 ${p.result.superseded} 条、每日汇总 ${p.result.digests} 份`);
      const events = Object.entries(p.events).map(([k, v]) => `${k} ×${v}`).join('，');
      io.out(`  将写入全过程记录：${events || '无'}`);
      io.out(`  投递时将发送 ${p.messages.length} 条消息${p.messages.length ? '：' : ''}`);
      for (const m of p.messages) {
        io.out(`  - ${m.queuedNow ? '[新]' : '[待发]'} ${m.channel === 'mail' ? '邮件' : '群机器人'} → ${m.to.join(', ')}${m.cc.length ? `（抄送 ${m.cc.join(', ')}）` : ''}：${m.subject}`);
      }
      return 0;
    }
    await prepareDatabase(d, config, clock);
    const deps = await buildJobDeps(d, config, { now: () => now }, jsonLogger((l) => io.note(l)));
    const result = await sweepAndDeliver(deps, now);
    io.out(`巡查完成（${when}）：检查 ${result.assignments} 项交办，新提醒 ${result.reminders} 条，` +
      `补记 ${result.superseded} 条，每日汇总 ${result.digests} 份；投递成功 ${result.sent}，待重试 ${result.retried}，放弃 ${result.dead}` +
      `；回调送达 ${result.callbacks.sent}，待重试 ${result.callbacks.retried}，放弃 ${result.callbacks.dead}`);
    return 0;
  }, io);
}
