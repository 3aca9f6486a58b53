// `xiansuo sweep [--now TIME] [--dry-run]`: one pass of the deadline sweep and of delivery, as if the
// time were --now (API.md §1): running it twice for the same time sends nothing new. --dry-run writes
// nothing and prints what the pass would record and send. (--send, which an earlier version asked for,
// is still accepted and changes nothing: the pass is real without it.)
import { parseArgs } from 'node:util';
import type { Clock } from '../domain/types.ts';
import { sweepAndDeliver } from '../jobs/index.ts';
import { previewSweep } from '../app/previewSweep.ts';
import type { Config } from '../runtime/config.ts';
import { jsonLogger } from '../runtime/log.ts';
import { buildJobDeps, prepareDatabase } from '../runtime/services.ts';
import { CliError, formatLocal, parseInstant, withDatabase, type Io } from './common.ts';

/** How far ahead of the clock a time still counts as now (clock skew between machines). */
const FUTURE_TOLERANCE_MS = 60_000;

export async function sweepCommand(args: string[], config: Config, clock: Clock, io: Io): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { now: { type: 'string' }, send: { type: 'boolean' }, 'dry-run': { type: 'boolean' } } });
  const real = clock.now();
  const now = values.now ? parseInstant(values.now, config.tz, '--now') : real;
  if (values.send && values['dry-run']) throw new CliError('--send 与 --dry-run 不能同时使用');
  const when = `${formatLocal(now, config.tz)}（${config.tz}）`;
  const dryRun = values['dry-run'] === true;
  return withDatabase(config, async (d) => {
    if (dryRun) {
      const deps = await buildJobDeps(d, config, { now: () => now }, jsonLogger((l) => io.note(l)));
      const p = await previewSweep(deps, now);
      io.out(`预演（未写入任何数据，未发送任何消息；去掉 --dry-run 才会执行）：按 ${when} 巡查`);
      io.out(`  检查 ${p.result.assignments} 项交办，将新增提醒 ${p.result.reminders} 条、补记 ${p.result.superseded} 条、每日汇总 ${p.result.digests} 份`);
      const events = Object.entries(p.events).map(([k, v]) => `${k} ×${v}`).join('，');
      io.out(`  将写入全过程记录：${events || '无'}`);
      io.out(`  投递时将发送 ${p.messages.length} 条消息${p.messages.length ? '：' : ''}`);
      for (const m of p.messages) {
        io.out(`  - ${m.queuedNow ? '[新]' : '[待发]'} ${m.channel === 'mail' ? '邮件' : '群机器人'} → ${m.to.join(', ')}${m.cc.length ? `（抄送 ${m.cc.join(', ')}）` : ''}：${m.subject}`);
      }
      return 0;
    }
    if (now.getTime() > real.getTime() + FUTURE_TOLERANCE_MS) {
      // API.md §1 runs the pass "as if the time were --now", also ahead of the clock (acceptance tests,
      // demonstrations); the record then holds entries dated later than they were written, so say so.
      io.note(`注意：按将来的时间 ${formatLocal(now, config.tz)} 执行巡查（现在是 ${formatLocal(real, config.tz)}），全过程记录中的条目将记为该时间；只想预览请加 --dry-run`);
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
