// The tests that run inside workerd (the Workers runtime) with @cloudflare/vitest-pool-workers:
// the worker of src/runtime/worker.ts with its D1 database (the generated migrations applied),
// its Durable Object and its cron handler. `npm test` runs them after the Node suite.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { CALLBACK_SECRETS } from './test/helpers/callbackReceiver.ts';
import { SOURCE_TEST_ENV } from './test/helpers/sign.ts';
import { ADMIN_TOKEN, CLOCK, MAIL_API_KEY } from './test/workers/shared.ts';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations/d1');
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        main: './src/runtime/worker.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            XIANSUO_CLOCK: CLOCK,
            XIANSUO_ADMIN_TOKEN: ADMIN_TOKEN,
            ...SOURCE_TEST_ENV,
            MAIL_FROM: 'xiansuo@example.gov.cn',
            MAIL_API_KEY,
            MAIL_API_URL: `http://127.0.0.1:${inject('mailPort')}/emails`,
            // Callbacks (API.md §7) to the receiver globalSetup.ts starts (callbacks.cases.ts).
            CALLBACK_URL_HOTLINE: inject('callbackUrls').hotline,
            CALLBACK_SECRET_HOTLINE: CALLBACK_SECRETS.hotline!,
            CALLBACK_URL_MEDIA: inject('callbackUrls').media,
            CALLBACK_SECRET_MEDIA: CALLBACK_SECRETS.media!,
          },
        },
      })),
    ],
    test: {
      name: 'workerd',
      include: ['test/workers/**/*.test.ts'],
      globalSetup: ['test/workers/globalSetup.ts'],
      setupFiles: ['test/workers/setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
});
