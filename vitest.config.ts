import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'webhooks/**/*.test.ts', 'test/**/*.test.ts'],
    // Inside workerd, with their own config: vitest.workers.config.ts (npm run test:workers).
    exclude: [...configDefaults.exclude, 'test/workers/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/helpers/summaryReporter.ts'],
  },
});
