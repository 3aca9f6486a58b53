// The baseline: a bare Hono server that returns a constant JSON, on the same adapter as xiansuo.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('*', (c) => c.json({ reportId: 'RP-2026-000001', leadId: 'XS-2026-000001', duplicate: false }, 202));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
