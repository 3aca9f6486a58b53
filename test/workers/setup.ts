// Inside workerd, before each test file: the generated D1 migrations (migrations/d1) applied to the
// test's D1 database, as `wrangler d1 migrations apply DB` applies them.
import { applyD1Migrations, env } from 'cloudflare:test';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
