// The Node.js entry: `npm start` / `npx xiansuo serve`.
import { serve as honoServe } from '@hono/node-server';
import { createApp } from '../http/app.ts';
import { shiftedClock, systemClock } from './clock.ts';
import { loadConfig, type Config } from './config.ts';
import { connect } from './database.ts';
import { jsonLogger } from './log.ts';
import { buildDeps, prepareDatabase } from './services.ts';

export async function serve(config: Config = loadConfig()): Promise<{ close(): Promise<void>; port: number }> {
  const log = jsonLogger();
  const clock = config.clockStart ? shiftedClock(config.clockStart) : systemClock;
  if (config.clockStart) {
    log.info({ msg: `!!! XIANSUO_CLOCK 已设置：服务时钟从 ${config.clockStart.toISOString()} 起算，仅用于验收测试和演示 !!!` });
  }
  const database = connect(config.databaseUrl);
  await prepareDatabase(database, config, clock);
  const deps = await buildDeps(database, config, clock, log);
  const app = createApp(deps);
  const off = Object.entries(config.webhookSecrets).filter(([, s]) => s?.length).map(([k]) => k);
  const server = honoServe({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({
    msg: 'xiansuo 已启动', port, database: database.dialect, tz: config.tz,
    webhooks: off.length ? off : '全部关闭（未设置 WEBHOOK_SECRET_*）',
  });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
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
