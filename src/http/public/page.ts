// /public: published results (公示) for anyone, server-rendered, no script, readable at 390 px.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Publication } from '../../domain/publication/publish.ts';
import type { Campaign } from '../../domain/campaigns.ts';

export interface PublicPageInput {
  items: Publication[];
  /** Open campaigns' calls for leads (征集公告). */
  calls: Campaign[];
  years: number[];
  agencies: { code: string; name: string }[];
  domains: string[];
  filters: { year?: number; agency?: string; domain?: string; page: number };
  hasMore: boolean;
  /** A Chinese reason when the filters were refused. */
  notice?: string;
  agencyName(code: string): string;
  /** An instant as a local date: 2026年3月11日. */
  dateOf(instant: string): string;
}

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}"${selected ? raw(' selected') : ''}>${label}</option>`;
}

function query(f: PublicPageInput['filters'], page: number): string {
  const p = new URLSearchParams();
  if (f.year) p.set('year', String(f.year));
  if (f.agency) p.set('agency', f.agency);
  if (f.domain) p.set('domain', f.domain);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function item(p: Publication, input: PublicPageInput): Html {
  return html`<article id="${p.leadId}">
<h2>${p.agency ? input.agencyName(p.agency) : '承办单位'} · ${p.domain ?? '未分类'}</h2>
<dl>
<dt>编号</dt><dd>${p.leadId}</dd>
<dt>问题类型</dt><dd>${p.problemTypes.length ? p.problemTypes.join('、') : '—'}</dd>
<dt>受理日期</dt><dd>${input.dateOf(p.receivedAt)}</dd>
<dt>办结日期</dt><dd>${p.closedAt ? input.dateOf(p.closedAt) : '—'}</dd>
<dt>公示日期</dt><dd>${input.dateOf(p.publishedAt)}</dd>
</dl>
<p class="summary">${p.summary}</p>
</article>`;
}

export function publicPage(input: PublicPageInput): Html {
  const f = input.filters;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>行政执法问题线索办理结果公示</title>
<link rel="stylesheet" href="/public/style.css">
<link rel="alternate" type="application/atom+xml" title="办理结果公示" href="/public/feed.xml">
</head>
<body>
<header>
<h1>行政执法问题线索办理结果公示</h1>
<p class="lead">以下是区司法局审核办结并决定公开的问题线索办理结果。公示内容已隐去姓名、电话、证件号码、电子邮箱和住址等个人信息。</p>
</header>
<main>
${input.calls.map((c) => html`<section class="call" aria-label="征集公告">
<h2>征集公告：${c.name}</h2>
<p class="summary">${c.callText}</p>
<p class="period">征集时间：${input.dateOf(`${c.startsOn}T12:00:00Z`)} 至 ${input.dateOf(`${c.endsOn}T12:00:00Z`)}</p>
</section>`)}
<form method="get" action="/public">
<label>年度<select name="year"><option value="">全部</option>${input.years.map((y) => option(String(y), `${y}年`, f.year === y))}</select></label>
<label>承办单位<select name="agency"><option value="">全部</option>${input.agencies.map((a) => option(a.code, a.name, f.agency === a.code))}</select></label>
<label>执法领域<select name="domain"><option value="">全部</option>${input.domains.map((d) => option(d, d, f.domain === d))}</select></label>
<button type="submit">筛选</button>
</form>
${input.notice ? html`<p class="notice" role="alert">${input.notice}</p>` : ''}
${input.items.length ? input.items.map((p) => item(p, input)) : html`<p>暂无符合条件的公示内容。</p>`}
<nav class="pages">
${f.page > 1 ? html`<a href="/public${query(f, f.page - 1)}">上一页</a>` : html`<span></span>`}
${input.hasMore ? html`<a href="/public${query(f, f.page + 1)}">下一页</a>` : html`<span></span>`}
</nav>
</main>
<footer><p><a href="/public/feed.xml">订阅公示（Atom）</a></p></footer>
</body>
</html>`;
}
