// The reporting half of the HTTP surface in one place: the statistics downloads, the annual
// report, publication (公示), campaigns (专项整治) and the public pages. createApp mounts it after the /api guard.
import type { Hono } from 'hono';
import type { AppEnv } from '../context.ts';
import { statsDownloadRoutes } from '../routes/stats.ts';
import { reportRoutes } from '../routes/reports.ts';
import { publicationRoutes } from '../routes/publication.ts';
import { publicRoutes } from '../public/routes.ts';
import { campaignRoutes } from '../routes/campaigns.ts';

export function mountReporting(app: Hono<AppEnv>): void {
  app.route('/api', statsDownloadRoutes());
  app.route('/api/reports', reportRoutes());
  app.route('/api/leads', publicationRoutes());
  app.route('/api/campaigns', campaignRoutes());
  app.route('/public', publicRoutes());
}
