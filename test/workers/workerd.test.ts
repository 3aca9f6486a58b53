// All tests inside workerd, as one test file: each file costs the pool a fresh start of the worker
// and its D1 migrations (about 25 s here), so the cases live in *.cases.ts and run from here.
import './webhooks.cases.ts';
import './worker.cases.ts';
import './plan-commit.cases.ts';
import './dedupe.cases.ts';
import './journey.cases.ts';
import './plans.cases.ts';
import './pages.cases.ts';
import './callbacks.cases.ts';
