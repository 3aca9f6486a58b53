// The Node.js entry: `npm start` / `npx xiansuo serve`.
import { serve as honoServe } from '@hono/node-server';
import { createApp } from '../http/app.ts';
import { shiftedClock, systemClock } from './clock.ts';
import { loadConfig, type Config } from './config.ts';
import { connect } from './database.ts';
import { describeDatabase, describeMail, placeholderWarnings } from './describe.ts';
import { jsonLogger } from './log.ts';
import { watchLauncher } from './orphan.ts';
import { buildDeps, prepareDatabase, registerCallbacks } from './services.ts';
import { startJobs } from './scheduler.ts';
import { jobs } from '../jobs/index.ts';
import { nodeMetrics } from './metrics.ts';

export async function serve(config: Config = loadConfig()): Promise<{ close(): Promise<void>; port: number }> {
  const log = jsonLogger();
  for (const warning of placeholderWarnings(config)) log.warn({ msg: warning });
  const clock = config.clockStart ? shiftedClock(config.clockStart) : systemClock;
  if (config.clockStart) {
    log.info({ msg: `!!! XIANSUO_CLOCK 已设置：服务时钟从 ${config.clockStart.toISOString()} 起算，仅用于验收测试和演示 !!!` });
  }
  const database = connect(config.databaseUrl, {
    checkpointThread: { onError: (err) => log.error({ msg: 'SQLite 检查点线程出错（由写入连接自行检查点）', err }) },
  });
  let deps;
  try {
    await prepareDatabase(database, config, clock);
    await registerCallbacks(database, config, clock);
    deps = await buildDeps(database, config, clock, log);
  } catch (err) {
    await database.close();
    throw err;
  }
  if (!config.auditKey) {
    log.warn({ msg: '警告：未设置 XIANSUO_AUDIT_KEY，全过程记录仅以普通 SHA-256 哈希链接，能写数据库的人可以改写记录而不被发现' });
  }
  const metrics = nodeMetrics({
    reader: database.reader, clock, sources: config.sources.map((s) => s.name),
    onError: (err) => log.warn({ msg: '读取指标失败', err: String(err) }),
  });
  deps.metrics = metrics;
  const app = createApp(deps);
  const scheduler = config.env.XIANSUO_JOBS === 'on'
    ? startJobs(jobs({ sweepCron: config.env.XIANSUO_SWEEP_CRON, sweepCronOffDays: config.env.XIANSUO_SWEEP_CRON_OFF_DAYS }), deps, clock,
      (job, at) => { if (job.name.startsWith('sweep')) metrics.sweepDone(at); })
    : undefined;
  const on = Object.entries(config.webhookSecrets).filter(([, s]) => s?.length).map(([k]) => k);
  const server = honoServe({ fetch: app.fetch, port: config.port, hostname: config.host });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(
        err.code === 'EADDRINUSE' ? `端口 ${config.port} 已被占用（PORT），请换一个端口或先停止占用它的进程`
          : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' ? `无法在地址 ${config.host} 上监听（HOST）：本机没有这个地址`
            : err.code === 'EACCES' ? `没有权限监听端口 ${config.port}（PORT）：小于 1024 的端口需要特权`
              : `无法监听 ${config.host}:${config.port}：${err.message}`,
      )));
    });
  } catch (err) {
    scheduler?.stop();
    await deps.close?.();
    await database.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({
    msg: 'xiansuo 已启动', host: config.host, port, database: describeDatabase(config.databaseUrl), mail: describeMail(config),
    publicUrl: config.publicUrl, tz: config.tz, settingsFile: config.settingsFile ?? null,
    webhooks: on.length ? on : '全部关闭（未设置 WEBHOOK_SECRET_*）',
    jobs: scheduler ? '已启动' : '已关闭（XIANSUO_JOBS=off）',
  });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    log.info({ msg: 'xiansuo 正在停止：不再接受新请求，等待进行中的请求和任务完成' });
    scheduler?.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive connections would hold close() open: end the idle ones now, the rest after 10 s.
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), 10_000).unref();
    });
    await deps.close?.();
    await database.close();
    log.info({ msg: 'xiansuo 已停止' });
  })());
  return { close, port };
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/runtime/node.ts');
/** Runs the service until SIGTERM or SIGINT; a start that fails is one line on standard error and exit 1. */
export function runService(config?: Config): void {
  let started: Awaited<ReturnType<typeof serve>> | undefined;
  let stopping: string | undefined;
  let closing = false;
  const stop = (signal: string) => {
    stopping ??= signal;
    if (!started || closing) return; // before the start is done: stopped as soon as it is
    closing = true;
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: `停止原因：${signal}` }) + '\n');
    started.close().then(() => process.exit(0), (err) => {
      process.stderr.write(`xiansuo: 停止时出错：${String((err as Error)?.message ?? err).split('\n')[0]}\n`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  watchLauncher((why) => stop(why));
  new Promise<Config>((resolve) => resolve(config ?? loadConfig())).then(serve).then((s) => {
    started = s;
    if (stopping) stop(stopping);
  }, (err) => {
    process.stderr.write(`xiansuo: ${String((err as Error)?.message ?? err).split('\n')[0]}\n`);
    process.exit(1);
  });
}

if (isMain) runService();
