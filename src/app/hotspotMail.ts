// The bureau's daily 热点提示: with the day's digests, when the hotspot rule (domain/hotspots.ts)
// finds an agency, field or township whose leads clearly exceed their usual rate, one mail to
// the bureau names them, with their leads, a link to all of them and one to open a campaign.
// Nothing is sent on a day without hotspots. Its key makes it once a day, on every instance.
import { currentHotspots } from './hotspots.ts';
import type { HotspotsInput } from '../notify/index.ts';
import type { JobDeps } from './jobDeps.ts';
import { noticeRows } from './outboxMessages.ts';
import { jobRan, onceByKey } from './onceByKey.ts';

export async function hotspotDigest(deps: JobDeps, today: string, now: Date): Promise<number> {
  const key = `hotspots:${today}`;
  if (await jobRan(deps, key)) return 0;
  const report = await currentHotspots(deps, now);
  const at = now.toISOString();
  const input: HotspotsInput = {
    date: today, rule: report.sentence,
    hotspots: report.hotspots.map((h) => ({ label: h.label, figures: h.figures, recent: h.recent, queuePath: h.queueHref, campaignPath: h.campaignHref })),
    items: report.hotspots.flatMap((h, i) => h.leads.map((l) => ({ leadId: l.id, title: l.title, hotspot: i }))),
  };
  // The day's key is written also on a day without hotspots: later sweeps of the day read nothing more.
  const fresh = await onceByKey(deps, key, at, async () => (input.hotspots.length === 0 ? {} : {
    writes: await noticeRows(deps, [{ key, leadId: null, agency: null, to: [deps.directory.bureauEmail], template: { name: 'hotspots', input } }], at),
    events: [{
      leadId: null, actor: 'system:sweep', action: 'hotspots.sent', at,
      data: { date: today, hotspots: report.hotspots.map((h) => ({ dimension: h.dimension, key: h.key, recent: h.recent, expected: h.expected })) },
    }],
  }));
  return fresh && input.hotspots.length > 0 ? 1 : 0;
}
