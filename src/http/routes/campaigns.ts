// Campaigns (专项整治), bureau: POST /api/campaigns, GET /api/campaigns[?status=], GET /api/campaigns/{id}
// (with its figures), GET /api/campaigns/{id}/report[.docx] (工作情况报告), POST /api/campaigns/{id}/apply (tag by its rule), POST|DELETE
// /api/campaigns/{id}/leads/{leadId} (by hand), POST /api/campaigns/{id}/close.
import { Hono } from 'hono';
import {
  CampaignError, applyCampaignRule, campaignReportOf, campaignView, campaigns, closeCampaign, openCampaign, tagByHand,
} from '../../app/campaigns.ts';
import { readJson } from '../body.ts';
import type { AppEnv } from '../context.ts';
import { requireRole } from '../middleware/auth.ts';
import { HttpProblem, badRequest, conflict } from '../problem.ts';
import { annualReportDocx } from '../stats/docx.ts';

async function guard<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof CampaignError)) throw err;
    if (err.code === 'not-found') throw new HttpProblem(404, 'not-found', '未找到', err.message);
    if (err.code === 'state') throw conflict(err.message);
    throw badRequest(err.message, err.errors.length ? { errors: err.errors } : {});
  }
}

export function campaignRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    const status = c.req.query('status');
    if (status && status !== 'open' && status !== 'closed') throw badRequest('status 应为 open 或 closed');
    return c.json({ items: await campaigns(c.var.deps, status as 'open' | 'closed' | undefined) });
  });
  app.post('/', async (c) => {
    const p = requireRole(c, 'bureau');
    return c.json(await guard(openCampaign(c.var.deps, await readJson(c), p.tokenId)), 201);
  });
  app.get('/:id', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    return c.json(await guard(campaignView(c.var.deps, c.req.param('id'))));
  });
  app.get('/:id/report', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    return c.json(await guard(campaignReportOf(c.var.deps, c.req.param('id'))));
  });
  app.get('/:id/report.docx', async (c) => {
    requireRole(c, 'bureau', 'viewer');
    const report = await guard(campaignReportOf(c.var.deps, c.req.param('id')));
    return c.body(await annualReportDocx(report) as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'content-disposition': `attachment; filename="campaign-report.docx"; filename*=UTF-8''${encodeURIComponent(`${report.title}.docx`)}`,
    });
  });
  app.post('/:id/apply', async (c) => {
    const p = requireRole(c, 'bureau');
    return c.json(await guard(applyCampaignRule(c.var.deps, c.req.param('id'), p.tokenId)));
  });
  app.post('/:id/leads/:lead', async (c) => {
    const p = requireRole(c, 'bureau');
    return c.json(await guard(tagByHand(c.var.deps, c.req.param('id'), c.req.param('lead'), true, p.tokenId)));
  });
  app.delete('/:id/leads/:lead', async (c) => {
    const p = requireRole(c, 'bureau');
    return c.json(await guard(tagByHand(c.var.deps, c.req.param('id'), c.req.param('lead'), false, p.tokenId)));
  });
  app.post('/:id/close', async (c) => {
    const p = requireRole(c, 'bureau');
    return c.json(await guard(closeCampaign(c.var.deps, c.req.param('id'), p.tokenId)));
  });
  return app;
}
