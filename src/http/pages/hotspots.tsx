// The bureau dashboard's 热点提示 panel: the rule in one sentence, each hotspot's figures, its
// latest leads, a link to all of them in the queue, and 开设专项整治 (the campaign form, prefilled).
import type { FC } from 'hono/jsx';
import type { HotspotReport } from '../../app/hotspots.ts';
import { statusLabel, when } from './format.ts';

export const HotspotPanel: FC<{ report: HotspotReport; canOpen: boolean; tz: string }> = ({ report, canOpen, tz }) => (
  <section class="card hotspots" aria-labelledby="hotspots-h">
    <h2 id="hotspots-h">热点提示</h2>
    <p class="hint">{report.sentence}</p>
    {report.coveredDays < report.rule.windowDays
      ? <p>已有的线索不足 {report.rule.windowDays} 天，还没有可比的往常水平，暂不提示。</p>
      : report.hotspots.length === 0
        ? <p>近 {report.rule.windowDays} 天（{report.windowFrom} 起）没有明显高于往常的单位、执法领域或乡镇街道。</p>
        : report.hotspots.map((h) => (
          <article class="hotspot">
            <h3>{h.label}</h3>
            <p><strong>{h.figures}</strong></p>
            <ul class="list">
              {h.leads.map((l) => (
                <li><a class="title" href={`/leads/${encodeURIComponent(l.id)}`}>{l.title}</a>
                  <span class="meta">{l.id} · {statusLabel(l.status)} · {when(l.createdAt, tz)}</span></li>
              ))}
            </ul>
            <div class="actions">
              <a href={h.queueHref}>查看全部 {h.recent} 条线索</a>
              {canOpen ? <a class="button" href={h.campaignHref}>开设专项整治</a> : null}
            </div>
          </article>
        ))}
    {report.coveredDays >= report.rule.windowDays && report.coveredDays < report.rule.baselineDays
      ? <p class="hint">已有线索只覆盖此前 {report.coveredDays} 天，往常水平按这 {report.coveredDays} 天计算。</p> : null}
  </section>
);
