// Campaign pages (专项整治): the list, the form to open one (prefilled from a hotspot's link), and
// one campaign with its figures and its leads. The API (routes/campaigns.ts) does the rest.
import type { FC } from 'hono/jsx';
import type { Campaign } from '../../domain/campaigns.ts';
import type { Directory } from '../../domain/directory.ts';
import type { Stats } from '../../domain/stats.ts';
import { agencyName } from './components.tsx';
import { statusLabel, when } from './format.ts';
import { Csrf, ErrorText, type Viewer } from './layout.tsx';

export interface CampaignFormValues {
  name: string; domain: string; agencies: string[]; keywords: string; startsOn: string; endsOn: string; callText: string;
}

export const CampaignForm: FC<{ v: Viewer; values: CampaignFormValues; dir: Directory; domains: string[]; error?: string | undefined }> = ({ v, values, dir, domains, error }) => (
  <>
    <h1>开设专项整治</h1>
    <div class="card">
      <p class="hint">规则中填写的条件须同时满足（关键词满足其一即可）；期间内收到且符合规则的线索，平台每次巡查时自动归集。</p>
      <ErrorText error={error} />
      <form method="post" action="/campaigns">
        <Csrf v={v} />
        <label for="c-name">名称</label>
        <input id="c-name" name="name" type="text" required maxlength={100} value={values.name} />
        <label for="c-domain">执法领域</label>
        <select id="c-domain" name="domain"><option value="">不限</option>
          {domains.map((d) => <option value={d} selected={values.domain === d}>{d}</option>)}</select>
        <label for="c-agencies">单位（可多选）</label>
        <select id="c-agencies" name="agencies" multiple size={6}>
          {dir.agencies.filter((a) => a.kind === 'agency' || a.kind === 'township').map((a) => (
            <option value={a.code} selected={values.agencies.includes(a.code)}>{a.name}</option>
          ))}
        </select>
        <label for="c-keywords">关键词（用空格或顿号分隔，满足其一即可）</label>
        <input id="c-keywords" name="keywords" type="text" maxlength={500} value={values.keywords} />
        <div class="filters">
          <div><label for="c-starts">开始日期</label><input id="c-starts" name="startsOn" type="date" required value={values.startsOn} /></div>
          <div><label for="c-ends">结束日期</label><input id="c-ends" name="endsOn" type="date" required value={values.endsOn} /></div>
        </div>
        <label for="c-call">征集公告（在公示页显示）</label>
        <textarea id="c-call" name="callText" required rows={4}>{values.callText}</textarea>
        <div class="actions"><button type="submit">开设</button><a href="/campaigns">取消</a></div>
      </form>
    </div>
  </>
);

function ruleText(c: Campaign, dir: Directory): string {
  const parts = [
    c.domain ? `执法领域：${c.domain}` : '',
    c.agencies.length ? `单位：${c.agencies.map((a) => agencyName(dir, a)).join('、')}` : '',
    c.keywords.length ? `关键词：${c.keywords.join('、')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('；') : '无（只能手动归集）';
}

export const CampaignList: FC<{ items: Campaign[]; canOpen: boolean }> = ({ items, canOpen }) => (
  <>
    <h1>专项整治</h1>
    {canOpen ? <p><a class="button" href="/campaigns/new">开设专项整治</a></p> : null}
    <ul class="list">
      {items.map((c) => (
        <li><a class="title" href={`/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</a>
          <span class="meta">{c.startsOn} 至 {c.endsOn} · {c.status === 'open' ? '进行中' : '已结束'}</span></li>
      ))}
    </ul>
    {items.length === 0 ? <p class="hint">还没有专项整治。</p> : null}
  </>
);

export interface CampaignLeadRow { id: string; title: string; status: string; created_at: string; via: string }

export const CampaignPage: FC<{ campaign: Campaign; stats: Stats; leads: CampaignLeadRow[]; total: number; dir: Directory; tz: string; done?: string | undefined }> = (p) => {
  const c = p.campaign;
  const h = p.stats.handling;
  return (
    <>
      <h1>{c.name}</h1>
      {p.done === 'open' ? <p class="notice" role="status">专项整治已开设，期间内符合规则的线索将自动归集。</p> : null}
      <div class="card">
        <dl class="facts">
          <dt>状态</dt><dd>{c.status === 'open' ? '进行中' : `已结束（${when(c.closedAt, p.tz)}）`}</dd>
          <dt>期间</dt><dd>{c.startsOn} 至 {c.endsOn}</dd>
          <dt>规则</dt><dd>{ruleText(c, p.dir)}</dd>
          <dt>征集公告</dt><dd>{c.callText}</dd>
        </dl>
      </div>
      <section class="card" aria-labelledby="c-figures">
        <h2 id="c-figures">办理情况</h2>
        <ul class="counts">
          <li><span><strong>{p.total}</strong>归集线索</span></li>
          <li><span><strong>{h.assigned}</strong>已交办</span></li>
          <li><span><strong>{h.rectified}</strong>整改到位</span></li>
          <li><span><strong>{h.triage}</strong>待研判</span></li>
          <li><span><strong>{h.inProgress}</strong>办理中</span></li>
          <li class={h.overdue ? 'bad' : ''}><span><strong>{h.overdue}</strong>超期</span></li>
        </ul>
        <p><a href={`/campaigns/${encodeURIComponent(c.id)}/report.docx`}>下载工作情况报告（Word）</a></p>
      </section>
      <section class="card" aria-labelledby="c-leads">
        <h2 id="c-leads">归集的线索（{p.total} 条）</h2>
        {p.leads.some((l) => l.via !== 'hand') ? <p class="hint">未注明“手动归集”的，均由规则自动归集。</p> : null}
        <ul class="list">
          {p.leads.map((l) => (
            <li><a class="title" href={`/leads/${encodeURIComponent(l.id)}`}>{l.title}</a>
              <span class="meta">{l.id} · {statusLabel(l.status)} · {when(l.created_at, p.tz)}{l.via === 'hand' ? ' · 手动归集' : ''}</span></li>
          ))}
        </ul>
        {p.total > p.leads.length ? <p class="hint">仅列出最新的 {p.leads.length} 条。</p> : null}
      </section>
    </>
  );
};
