// The web pages of API.md §4, served by the same app: sign-in, the bureau's dashboard, queue and
// lead pages, an agency's own leads, a supervisor's form and leads. Server-rendered (hono/jsx),
// one stylesheet from /assets/app.css, no scripts, a strict Content-Security-Policy.
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { addDays, isIsoDate, localDate, startOfLocalDay } from '../../domain/calendar/index.ts';
import { canonicalJson, sha256Hex } from '../../domain/crypto.ts';
import { findAgency } from '../../domain/directory.ts';
import { isTransitionError } from '../../domain/lifecycle/index.ts';
import { LEAD_STATUSES, type LeadStatus } from '../../domain/types.ts';
import { supervisor } from '../../../webhooks/supervisor.ts';
import { intake } from '../../app/intake.ts';
import { csrfProtection } from '../middleware/csrf.ts';
import { sessionAuth, stopSession, type PageEnv } from '../middleware/session.ts';
import { APP_CSS } from './assets.ts';
import { ACTIONS, formErrorText } from './actions.ts';
import type { Clockwork } from './components.tsx';
import { agencyLeads, campaignPage, dashboardCounts, dashboardHotspots, leadPage, queue, supervisorLeads } from './data.ts';
import { CampaignError, campaignReportOf, campaigns, openCampaign } from '../../app/campaigns.ts';
import { annualReportDocx } from '../stats/docx.ts';
import { CampaignForm, CampaignList, CampaignPage, type CampaignFormValues } from './campaigns.tsx';
import { HotspotPanel } from './hotspots.tsx';
import { Layout, render, type Viewer } from './layout.tsx';
import { LeadBody, type FormState } from './lead.tsx';
import { AgencyHome, Dashboard, Queue, type QueueQuery } from './lists.tsx';
import { loginRoutes } from './login.tsx';
import { EMPTY_SUBMIT, MyLeads, SubmitForm, Submitted, type SubmitValues } from './supervisor.tsx';
import { annualReportOf } from '../../app/annualReport.ts';
import { agencyNamer, periodLabel, statsForPeriod } from '../../app/stats.ts';
import { statsTables } from '../../domain/statsTables.ts';
import { HttpProblem, problem } from '../problem.ts';
import { reportRoutes } from '../routes/reports.ts';
import { statsDownloadRoutes } from '../routes/stats.ts';
import { statsCharts } from '../stats/charts.ts';
import { AnnualReportPage, StatsPage } from './stats.tsx';

const PAGE_SIZE = 20;

const secure = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"], objectSrc: ["'none'"],
  },
  referrerPolicy: 'same-origin',
});

function viewer(c: Context<PageEnv>): Viewer {
  const p = c.var.principal;
  const v: Viewer = { principal: p, csrf: c.var.session.csrf };
  if (p.agency) v.agencyName = findAgency(c.var.deps.directory, p.agency)?.name ?? p.agency;
  return v;
}

function clockwork(c: Context<PageEnv>): Clockwork {
  const { deps } = c.var;
  return { now: deps.clock.now().toISOString(), tz: deps.config.tz, calendar: deps.calendar.current() };
}

function message(c: Context<PageEnv>, status: 403 | 404, title: string, text: string) {
  return render(c,
    <Layout title={title} v={viewer(c)}><div class="card narrow"><h1>{title}</h1><p>{text}</p><p><a href="/">返回首页</a></p></div></Layout>,
    status,
  );
}

const notFoundPage = (c: Context<PageEnv>) => message(c, 404, '未找到', '该线索不存在，或不属于您可以查看的范围。');
const isStaff = (role: string) => role === 'bureau' || role === 'admin' || role === 'viewer';
const canOpenCampaigns = (role: string) => role === 'bureau' || role === 'admin';

/** The campaign form's values from a query (a hotspot's link) or a posted form. */
function campaignValues(get: (key: string) => string | undefined, all: (key: string) => string[]): CampaignFormValues {
  const one = (key: string, max: number) => (get(key) ?? '').trim().slice(0, max);
  return {
    name: one('name', 100), domain: one('domain', 50), agencies: all('agencies').map((a) => a.trim()).filter(Boolean).slice(0, 50),
    keywords: one('keywords', 500), startsOn: one('startsOn', 10), endsOn: one('endsOn', 10), callText: one('callText', 5000),
  };
}

function page(q: string | undefined): number {
  const n = Number(q);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

export function pageRoutes() {
  const app = new Hono<PageEnv>();

  app.get('/assets/app.css', (c) => c.body(APP_CSS, 200, {
    'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=86400',
  }));

  app.use('/login', secure);
  app.use('/login/*', secure);
  app.route('/', loginRoutes() as never);

  const auth = [secure, sessionAuth(), csrfProtection((c) => message(c, 403, '表单已过期', '为保护您的账号，本次提交未被接受。请返回上一页刷新后重试。'))] as const;

  app.post('/logout', ...auth, async (c) => {
    await stopSession(c);
    return c.redirect('/login', 303);
  });

  app.get('/', ...auth, async (c) => {
    const { deps, principal } = c.var;
    const v = viewer(c);
    const k = clockwork(c);
    if (principal.role === 'agency') {
      const n = page(c.req.query('page'));
      const list = await agencyLeads(deps, principal, n, PAGE_SIZE);
      return render(c, <Layout title="本单位线索" v={v}><AgencyHome name={v.agencyName ?? ''} {...list} page={n} pageSize={PAGE_SIZE} dir={deps.directory} k={k} /></Layout>);
    }
    if (principal.role === 'supervisor') {
      const list = await supervisorLeads(deps, principal, k.now);
      return render(c, <Layout title="我的线索" v={v}><MyLeads rows={list.rows} assignments={list.assignments} dir={deps.directory} k={k} /></Layout>);
    }
    const counts = await dashboardCounts(deps, k.now);
    const hotspots = await dashboardHotspots(deps, principal);
    return render(c, <Layout title="首页" v={v}>
      <Dashboard counts={counts} />
      <HotspotPanel report={hotspots} canOpen={canOpenCampaigns(principal.role)} tz={k.tz} />
    </Layout>);
  });

  app.get('/leads', ...auth, async (c) => {
    const { deps, principal } = c.var;
    if (!isStaff(principal.role)) return c.redirect('/', 303);
    const k = clockwork(c);
    const raw = c.req.query();
    const q: QueueQuery = {};
    for (const key of ['status', 'agency', 'channel', 'township', 'domain', 'type', 'overdue', 'due', 'extension', 'from', 'to', 'q'] as const) {
      const value = raw[key]?.trim();
      if (value) q[key] = value.slice(0, 100);
    }
    let error: string | undefined;
    const date = (d: string | undefined, next: boolean) => {
      if (!d) return undefined;
      if (!isIsoDate(d)) {
        error = `日期“${d}”格式不正确，应为 年-月-日，已忽略。`;
        return undefined;
      }
      return new Date(startOfLocalDay(next ? addDays(d, 1) : d, k.tz)).toISOString();
    };
    const n = page(raw.page);
    const result = await queue(deps, principal, {
      status: LEAD_STATUSES.includes(q.status as LeadStatus) ? q.status as LeadStatus : undefined,
      agency: q.agency, channel: deps.config.channels.some((ch) => ch.name === q.channel) ? q.channel : undefined,
      township: q.township, domain: q.domain, problemType: q.type, overdue: q.overdue === 'true', dueSoon: q.due === 'soon',
      extension: q.extension === 'pending', from: date(q.from, false), to: date(q.to, true), q: q.q,
      now: k.now, page: n, pageSize: PAGE_SIZE,
    });
    return render(c,
      <Layout title="线索列表" v={viewer(c)}>
        <Queue q={q} page={n} pageSize={PAGE_SIZE} total={result.total} capped={result.capped} hasNext={result.hasNext} rows={result.rows} assignments={result.assignments}
          dir={deps.directory} k={k} problemTypes={deps.router.rules.problemTypes.map((t) => t.name)}
          domains={deps.router.rules.domains.map((d) => d.name)} error={error} />
      </Layout>,
    );
  });

  const renderLead = async (c: Context<PageEnv>, id: string, form?: FormState, status: 200 | 403 | 404 | 409 | 422 = 200) => {
    const { deps, principal } = c.var;
    const d = await leadPage(deps, principal, id);
    if (!d) return notFoundPage(c);
    return render(c,
      <Layout title={d.view.title} v={viewer(c)}>
        <LeadBody d={d} v={viewer(c)} k={clockwork(c)} dir={deps.directory} form={form} done={c.req.query('done')} />
      </Layout>,
      status,
    );
  };

  app.get('/leads/:id', ...auth, (c) => renderLead(c, c.req.param('id')));

  app.post('/leads/:id/:action', ...auth, async (c) => {
    const { deps, principal, form } = c.var;
    const id = c.req.param('id');
    const name = c.req.param('action');
    const action = ACTIONS[name];
    if (!action) return notFoundPage(c);
    try {
      await action.run(deps, principal, id, action.input(form));
    } catch (err) {
      if (!isTransitionError(err)) throw err;
      if (err.code === 'not-found') return notFoundPage(c);
      const back = name === 'unmerge' && form.back ? form.back : id;
      const status = err.code === 'forbidden' ? 403 : err.code === 'state' ? 409 : 422;
      return renderLead(c, back, { action: name, values: form, error: formErrorText(err) }, status);
    }
    const back = name === 'unmerge' && /^XS-\d{4}-\d+$/.test(form.back ?? '') ? form.back! : id;
    return c.redirect(`/leads/${encodeURIComponent(back)}?done=${name}`, 303);
  });

  app.get('/submit', ...auth, (c) => {
    if (c.var.principal.role !== 'supervisor') return message(c, 403, '无权访问', '只有社会监督员可以在此报送线索。');
    const done = c.req.query('done');
    const v = viewer(c);
    if (done) return render(c, <Layout title="已收到您的线索" v={v}><Submitted leadId={done} duplicate={c.req.query('dup') === '1'} /></Layout>);
    return render(c, <Layout title="报送线索" v={v}><SubmitForm v={v} values={EMPTY_SUBMIT} /></Layout>);
  });

  app.post('/submit', ...auth, async (c) => {
    const { deps, principal, form } = c.var;
    if (principal.role !== 'supervisor' || !principal.supervisorId) return message(c, 403, '无权访问', '只有社会监督员可以在此报送线索。');
    const values: SubmitValues = { ...EMPTY_SUBMIT };
    for (const key of Object.keys(EMPTY_SUBMIT) as (keyof SubmitValues)[]) values[key] = (form[key] ?? '').trim();
    const now = deps.clock.now();
    const payload: Record<string, unknown> = {
      submissionId: `web-${crypto.randomUUID()}`, supervisor: { id: principal.supervisorId }, submittedAt: now.toISOString(),
      content: values.content,
    };
    if (values.title) payload.title = values.title;
    if (values.place) payload.address = values.place;
    if (values.township) payload.township = values.township;
    if (values.subject) payload.subject = values.subject;
    const links = values.evidence.split(/\s+/).filter(Boolean);
    if (links.length) payload.evidence = links.map((url) => ({ url }));
    const parsed = supervisor.schema.safeParse(payload);
    const v = viewer(c);
    if (!parsed.success) {
      const error = formErrorText({ errors: parsed.error.issues.map((i) => ({ path: '/' + i.path.join('/'), message: i.message })), message: '' });
      return render(c, <Layout title="报送线索" v={v}><SubmitForm v={v} values={values} error={error} /></Layout>, 422);
    }
    const text = JSON.stringify(payload);
    const outcome = await intake(deps, {
      source: supervisor.name, webhookId: null, bodyHash: sha256Hex(text), contentHash: sha256Hex(canonicalJson(payload)),
      payload: text, draft: supervisor.toDraft(parsed.data),
    }, now.toISOString());
    if (outcome.kind === 'conflict') {
      return render(c, <Layout title="报送线索" v={v}><SubmitForm v={v} values={values} error={`未能保存：${outcome.detail}`} /></Layout>, 409);
    }
    return c.redirect(`/submit?done=${encodeURIComponent(outcome.answer.leadId)}${outcome.answer.duplicate ? '&dup=1' : ''}`, 303);
  });

  // Statistics (bureau, viewer, admin): the page, the annual report page, and the API's own
  // downloads (/api/stats.csv, .xlsx, /api/reports/annual/{year}.docx) under the session.
  const staffOnly = async (c: Context<PageEnv>, next: () => Promise<void>) => {
    if (!isStaff(c.var.principal.role)) return message(c, 404, '未找到', '该页面不存在，或不属于您可以查看的范围。');
    await next();
  };
  app.get('/stats', ...auth, staffOnly, async (c) => {
    const { deps } = c.var;
    const k = clockwork(c);
    const typed = { from: (c.req.query('from') ?? '').trim().slice(0, 20), to: (c.req.query('to') ?? '').trim().slice(0, 20) };
    const errors: string[] = [];
    const valid = (d: string, what: string) => {
      if (!d) return undefined;
      if (isIsoDate(d)) return d;
      errors.push(`${what}“${d}”格式不正确，应为 年-月-日，已按默认值统计。`);
      return undefined;
    };
    const q: { from?: string; to?: string } = {};
    const from = valid(typed.from, '起始日期');
    const to = valid(typed.to, '截止日期');
    if (from) q.from = from;
    if (to) q.to = to;
    if (q.from && q.to && q.from > q.to) {
      errors.push(`起始日期 ${q.from} 晚于截止日期 ${q.to}，已按默认期间统计。`);
      delete q.from;
      delete q.to;
    }
    const stats = await statsForPeriod(deps, q);
    const name = agencyNamer(deps.directory);
    const label = periodLabel(stats, k.tz);
    const today = localDate(new Date(k.now), k.tz);
    const input = { from: typed.from || label.from, to: typed.to || (q.to ?? today) };
    const sort = c.req.query('sort');
    return render(c,
      <Layout title="统计" v={viewer(c)}>
        <StatsPage input={input} label={label} error={errors.join(' ') || undefined} sort={sort}
          tables={statsTables(stats, name)} charts={statsCharts(stats, name)} query={new URLSearchParams(q).toString()} />
      </Layout>,
    );
  });
  app.get('/stats/annual/:year', ...auth, staffOnly, async (c) => {
    const raw = c.req.param('year');
    const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
    if (!(year >= 2000 && year <= 2100)) return message(c, 404, '未找到', `年份应为 2000–2100 之间的四位数字，收到“${raw.slice(0, 20)}”。`);
    const { report } = await annualReportOf(c.var.deps, year);
    return render(c, <Layout title={report.title} v={viewer(c)}><AnnualReportPage report={report} /></Layout>);
  });
  // Campaigns (专项整治): the list and one campaign (staff), the form to open one (bureau, admin).
  const domains = (c: Context<PageEnv>) => c.var.deps.router.rules.domains.map((d) => d.name);
  app.get('/campaigns', ...auth, staffOnly, async (c) => render(c,
    <Layout title="专项整治" v={viewer(c)}><CampaignList items={await campaigns(c.var.deps)} canOpen={canOpenCampaigns(c.var.principal.role)} /></Layout>));
  app.get('/campaigns/new', ...auth, staffOnly, (c) => {
    if (!canOpenCampaigns(c.var.principal.role)) return message(c, 403, '无权访问', '只有区司法局工作人员可以开设专项整治。');
    const values = campaignValues((k) => c.req.query(k), (k) => (c.req.queries(k) ?? []).flatMap((v) => v.split(',')));
    return render(c, <Layout title="开设专项整治" v={viewer(c)}><CampaignForm v={viewer(c)} values={values} dir={c.var.deps.directory} domains={domains(c)} /></Layout>);
  });
  app.post('/campaigns', ...auth, staffOnly, async (c) => {
    const { deps, principal } = c.var;
    if (!canOpenCampaigns(principal.role)) return message(c, 403, '无权访问', '只有区司法局工作人员可以开设专项整治。');
    const body = await c.req.parseBody({ all: true });
    const list = (k: string) => { const v = body[k]; return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String); };
    const values = campaignValues((k) => list(k)[0], list);
    const words = values.keywords.split(/[\s,，、;；]+/).filter(Boolean);
    try {
      const opened = await openCampaign(deps, {
        name: values.name, startsOn: values.startsOn, endsOn: values.endsOn, callText: values.callText,
        ...(values.domain ? { domain: values.domain } : {}), ...(values.agencies.length ? { agencies: values.agencies } : {}),
        ...(words.length ? { keywords: words } : {}),
      }, principal.tokenId);
      return c.redirect(`/campaigns/${encodeURIComponent(opened.id)}?done=open`, 303);
    } catch (err) {
      if (!(err instanceof CampaignError)) throw err;
      const v = viewer(c);
      return render(c, <Layout title="开设专项整治" v={v}><CampaignForm v={v} values={values} dir={deps.directory} domains={domains(c)} error={formErrorText(err)} /></Layout>, 422);
    }
  });
  app.get('/campaigns/:id', ...auth, staffOnly, async (c) => {
    const { deps, principal } = c.var;
    let d;
    try {
      d = await campaignPage(deps, principal, c.req.param('id'));
    } catch (err) {
      if (err instanceof CampaignError && err.code === 'not-found') return message(c, 404, '未找到', '该专项整治不存在。');
      throw err;
    }
    return render(c, <Layout title={d.campaign.name} v={viewer(c)}>
      <CampaignPage campaign={d.campaign} stats={d.stats} leads={d.list} total={d.leads} dir={deps.directory} tz={deps.config.tz} done={c.req.query('done')} />
    </Layout>);
  });
  app.get('/campaigns/:id/report.docx', ...auth, staffOnly, async (c) => {
    let report;
    try {
      report = await campaignReportOf(c.var.deps, c.req.param('id'));
    } catch (err) {
      if (err instanceof CampaignError && err.code === 'not-found') return message(c, 404, '未找到', '该专项整治不存在。');
      throw err;
    }
    return c.body(await annualReportDocx(report) as Uint8Array<ArrayBuffer>, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'content-disposition': `attachment; filename="campaign-report.docx"; filename*=UTF-8''${encodeURIComponent(`${report.title}.docx`)}`,
    });
  });

  app.use('/stats/download/*', ...auth, staffOnly);
  app.route('/stats/download', statsDownloadRoutes() as never);
  app.use('/stats/reports/*', ...auth, staffOnly);
  app.route('/stats/reports', reportRoutes() as never);

  app.onError((err, c) => {
    if (err instanceof HttpProblem) return problem(c, err.status, err.slug, err.title, err.detail, err.extra);
    c.var.deps.log.error({ msg: 'page error', path: c.req.path, err: String(err), stack: (err as Error).stack });
    return render(c,
      <Layout title="出错了"><div class="card narrow"><h1>出错了</h1><p>请求未能完成，请稍后重试；如持续出现请联系管理员。</p><p><a href="/">返回首页</a></p></div></Layout>,
      500,
    );
  });

  return app;
}
