// The Node.js entry: `npm start` / `npx xiansuo serve`.
import { serve as honoServe } from '@hono/node-server';
import { createApp } from '../http/app.ts';
import { shiftedClock, systemClock } from './clock.ts';
import { loadConfig, type Config } from './config.ts';
import { connect } from './database.ts';
import { jsonLogger } from './log.ts';
import { buildDeps, prepareDatabase, registerCallbacks } from './services.ts';
import { startJobs } from './scheduler.ts';
import { jobs } from '../jobs/index.ts';

export async function serve(config: Config = loadConfig()): Promise<{ close(): Promise<void>; port: number }> {
  const log = jsonLogger();
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
    log.info({ level: 'warn', msg: '警告：未设置 XIANSUO_AUDIT_KEY，全过程记录仅以普通 SHA-256 哈希链接，能写数据库的人可以改写记录而不被发现' });
  }
  const app = createApp(deps);
  const scheduler = config.env.XIANSUO_JOBS === 'on'
    ? startJobs(jobs({ sweepCron: config.env.XIANSUO_SWEEP_CRON, sweepCronOffDays: config.env.XIANSUO_SWEEP_CRON_OFF_DAYS }), deps, clock)
    : undefined;
  const off = Object.entries(config.webhookSecrets).filter(([, s]) => s?.length).map(([k]) => k);
  const server = honoServe({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({
    msg: 'xiansuo 已启动', port, database: database.dialect, tz: config.tz,
    webhooks: off.length ? off : '全部关闭（未设置 WEBHOOK_SECRET_*）', mail: deps.mailer.description,
    jobs: scheduler ? '已启动' : '已关闭（XIANSUO_JOBS=off）',
  });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    scheduler?.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.close?.();
    await database.close();
  })());
  return { close, port };
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/runtime/node.ts');
if (isMain) {
  serve().then((s) => {
    const stop = () => {
      s.close().then(() => process.exit(0), () => process.exit(1));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  }, (err) => {
    process.stderr.write(`xiansuo: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
