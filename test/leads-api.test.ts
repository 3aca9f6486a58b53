// Reading leads (API.md §3): tokens, roles, object-level checks, sealed reporter identity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samples as hotline } from '../webhooks/hotline.ts';
import { samples as supervisor } from '../webhooks/supervisor.ts';
import { testApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';
import { PROBLEMS } from './helpers/problems.ts';

async function assign(t: TestApp, leadId: string, agency: string) {
  const at = t.clock.now().toISOString();
  await t.database.db.insertInto('assignments').values({
    id: `as-${leadId}-${agency}`, lead_id: leadId, agency, role: 'primary', status: 'assigned', assigned_at: at,
    ack_due_at: '2026-03-03T15:59:59.000Z', due_at: '2026-03-23T15:59:59.000Z', calendar_provisional: 0, updated_at: at,
  }).execute();
}

describe.each(await dialects())('lead API on %s', (dialect) => {
  let t: TestApp;
  let urbanLead: string;
  let supervisorLead: string;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    t = await testApp(dialect);
    urbanLead = (await (await t.deliver('hotline', hotline.valid)).json()).leadId;
    supervisorLead = (await (await t.deliver('supervisor', supervisor.valid)).json()).leadId;
    await assign(t, urbanLead, 'urban');
    tokens = {
      bureau: await t.token('bureau'),
      urban: await t.token('agency', { agency: 'urban' }),
      market: await t.token('agency', { agency: 'market' }),
      s07: await t.token('supervisor', { supervisorId: 'S07' }),
      s08: await t.token('supervisor', { supervisorId: 'S08' }),
      viewer: await t.token('viewer'),
    };
  });
  afterAll(async () => { await t.close(); });

  it('refuses missing and unknown tokens with 401 problem+json', async () => {
    const none = await t.app.request(`/api/leads/${urbanLead}`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await t.get(`/api/leads/${urbanLead}`, 'xs_not_a_token')).status).toBe(401);
  });

  it('shows the bureau the lead with its reporter unmasked and records that read', async () => {
    const res = await t.get(`/api/leads/${urbanLead}`, tokens.bureau);
    expect(res.status).toBe(200);
    const lead = await res.json();
    expect(lead).toMatchObject({
      id: urbanLead, status: 'triage', mergedInto: null, channels: ['hotline'], reportCount: 1,
      routing: { agency: 'urban', transfer: null, reason: expect.stringContaining('城管') }, duplicateCandidates: [],
    });
    expect(lead.reports[0]).toMatchObject({ source: 'hotline', externalId: hotline.valid.orderNo });
    expect(lead.reports[0].reporter).toMatchObject({ name: '张先生', phone: '13800000000' });
    expect(lead.assignments[0]).toMatchObject({ agency: 'urban', status: 'assigned', calendarProvisional: false });
    const events = await (await t.get(`/api/leads/${urbanLead}/events`, tokens.bureau)).json();
    const unmasked = events.items.filter((e: { action: string }) => e.action === 'reporter.unmasked');
    expect(unmasked).toHaveLength(1);
    expect(unmasked[0].actor).toMatch(/^tok_/);
  });

  it('masks the reporter for the assigned agency and records nothing', async () => {
    const before = (await (await t.get(`/api/leads/${urbanLead}/events`, tokens.bureau)).json()).items.length;
    const lead = await (await t.get(`/api/leads/${urbanLead}`, tokens.urban)).json();
    expect(lead.reports[0].reporter).toMatchObject({ name: '张**', phone: '138****0000' });
    const after = (await (await t.get(`/api/leads/${urbanLead}/events`, tokens.urban)).json()).items.length;
    expect(after).toBe(before);
  });

  it('gives another agency 404 for a lead not assigned to it, never the lead', async () => {
    const res = await t.get(`/api/leads/${urbanLead}`, tokens.market);
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain(hotline.valid.title);
    expect((await t.get(`/api/leads/${urbanLead}/events`, tokens.market)).status).toBe(404);
    const list = await (await t.get('/api/leads', tokens.market)).json();
    expect(list.items).toEqual([]);
  });

  it('lets a supervisor see only its own submissions', async () => {
    expect((await t.get(`/api/leads/${supervisorLead}`, tokens.s07)).status).toBe(200);
    expect((await t.get(`/api/leads/${supervisorLead}`, tokens.s08)).status).toBe(404);
    expect((await t.get(`/api/leads/${urbanLead}`, tokens.s07)).status).toBe(404);
    const list = await (await t.get('/api/leads', tokens.s07)).json();
    expect(list.items.map((l: { id: string }) => l.id)).toEqual([supervisorLead]);
  });

  it('gives a viewer leads without any personal data', async () => {
    const lead = await (await t.get(`/api/leads/${urbanLead}`, tokens.viewer)).json();
    expect(lead.reports[0].reporter).toBeNull();
    expect(JSON.stringify(lead)).not.toMatch(/13800000000|138\*\*\*\*0000|张/);
  });

  it('lists with filters and a cursor', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(60_000);
      const problem = PROBLEMS[i]!;
      const res = await t.deliver('hotline', { orderNo: `GD-LIST-${i}`, createdAt: hotline.valid.createdAt, ...problem });
      expect((await res.json()).duplicate).toBe(false);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } =
        await (await t.get(`/api/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`, tokens.bureau)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort().reverse()).toEqual(seen);

    const bySource = await (await t.get('/api/leads?source=supervisor', tokens.bureau)).json();
    expect(bySource.items.map((l: { id: string }) => l.id)).toEqual([supervisorLead]);
    const byQ = await (await t.get(`/api/leads?q=${encodeURIComponent('拖欠工资')}`, tokens.bureau)).json();
    expect(byQ.items).toHaveLength(1);
    const byAgency = await (await t.get('/api/leads?agency=market', tokens.bureau)).json();
    expect(byAgency.items.map((l: { id: string }) => l.id)).toContain(supervisorLead);
    expect(byAgency.items.every((l: { routing: { agency: string } }) => l.routing.agency === 'market')).toBe(true);
    t.clock.set('2026-03-04T00:00:00.000Z');
    const overdue = await (await t.get('/api/leads?overdue=true', tokens.bureau)).json();
    expect(overdue.items.map((l: { id: string }) => l.id)).toEqual([urbanLead]);
    const triage = await (await t.get('/api/leads?status=closed', tokens.bureau)).json();
    expect(triage.items).toEqual([]);
  });

  it('answers bad filters with 422 and the offending parameter', async () => {
    const res = await t.get('/api/leads?status=lost&limit=0', tokens.bureau);
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/limit', '/status']);
    expect((await t.get('/api/leads?cursor=@@@', tokens.bureau)).status).toBe(400); // not a cursor we gave
  });

  it('answers an unknown lead with 404', async () => {
    expect((await t.get('/api/leads/XS-2026-999999', tokens.bureau)).status).toBe(404);
  });
});
