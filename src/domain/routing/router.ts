// Routing: which agency must rectify a lead, and whether it should be transferred.
// compileRules() builds one Aho–Corasick automaton over every phrase of the rules (keywords,
// aliases, township names, problem-type and domain vocabulary); route() then reads the lead's
// title, content, subject, address and township field in a single pass and scores the rules.
import type { ChannelNames } from '../channels.ts';
import type { Directory } from '../directory.ts';
import type { LeadDraft, Transfer } from '../types.ts';
import { buildAhoCorasick } from './ahoCorasick.ts';
import { TOWNSHIP_ALIAS, type Rule, type RoutingRules } from './rules.ts';
import { maskText } from '../privacy/maskText.ts';

export type RoutableDraft = Pick<LeadDraft, 'title' | 'content' | 'source'> &
  Partial<Pick<LeadDraft, 'subject' | 'address' | 'township' | 'category'>>;

export interface Candidate {
  agency: string;
  name: string;
  score: number;
  /** Highest priority among the rules behind it (its tier). */
  priority: number;
  rules: string[];
}

export interface RuleHit {
  rule: string;
  /** Agency code, or "discipline"/"judicial" for transfer rules. */
  target: string;
  score: number;
  /** What matched, in words: phrases, the subject, the township, the category or channel. */
  matched: string[];
}

export interface RoutingResult {
  /** The proposed agency (承办单位); null leaves the lead in triage. */
  agency: string | null;
  /** A proposed transfer; the primary agency is still named when one is clear. */
  transfer: Transfer | null;
  confident: boolean;
  /** Human-readable (zh-CN): which rules fired and why this outcome. */
  reason: string;
  /** Best first, at most five. */
  candidates: Candidate[];
  transfers: { transfer: Transfer; score: number; rules: string[] }[];
  /** Every rule that fired (for POST /api/routing/explain). */
  hits: RuleHit[];
  /** Township agency code recognised for the lead (field, subject, address or text). */
  township: string | null;
  /** Agency the stated subject resolves to. */
  subject: string | null;
  /** 突出问题类型. */
  problemTypes: string[];
  /** 执法领域. */
  domain: string | null;
}

export interface Router {
  readonly rules: RoutingRules;
  route(draft: RoutableDraft): RoutingResult;
}

/** Each further distinct phrase of a keyword rule adds this share of its weight (up to MAX_EXTRA_PHRASES). */
export const EXTRA_PHRASE_BONUS = 0.25;
export const MAX_EXTRA_PHRASES = 2;
/** A keyword rule with a phrase in the title gets this share of its weight on top. */
export const TITLE_BONUS = 0.5;
export const MAX_CANDIDATES = 5;

const TRANSFER_NAMES: Record<Transfer, string> = {
  discipline: '区纪委监委（涉嫌腐败或滥用职权）',
  judicial: '司法机关（涉嫌犯罪，两法衔接）',
};

/** NFKC folds full-width letters and digits; lower case makes KTV = ktv. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

const Seg = { Title: 0, Content: 1, Subject: 2, Address: 3, Township: 4 } as const;
type Seg = (typeof Seg)[keyof typeof Seg];
const SEP = '\u0000';

interface Uses {
  text: string;
  kw: number[];
  with: number[];
  without: number[];
  subj: number[];
  alias: string | null;
  township: string | null;
  problems: number[];
  domains: number[];
  stop: boolean;
  /** Has an alias, township or stop use (needs its span). */
  named: boolean;
  /** Has a keyword, subject, problem-type or domain use. */
  plain: boolean;
}

interface Hit { uses: Uses; start: number; end: number; seg: Seg }

const round = (x: number) => Math.round(x * 100) / 100;

/** `channelName` gives a channel's label for the reasons (the runtime passes the registry's). */
export function compileRules(rules: RoutingRules, directory: Directory, channelName: ChannelNames = (c) => c): Router {
  const names = new Map(directory.agencies.map((a) => [a.code, a.name]));
  const nameOf = (code: string) => names.get(code) ?? code;
  const townshipName = new Map(
    directory.agencies.filter((a) => a.kind === 'township').map((a) => [a.code, a.township ?? a.name]),
  );

  const pids = new Map<string, Uses>();
  const use = (raw: string): Uses => {
    const text = normalizeText(raw.trim());
    let u = pids.get(text);
    if (!u) {
      u = {
        text, kw: [], with: [], without: [], subj: [], alias: null, township: null, problems: [], domains: [],
        stop: false, named: false, plain: false,
      };
      pids.set(text, u);
    }
    return u;
  };

  rules.rules.forEach((r, i) => {
    for (const p of r.match.keywords ?? []) use(p).kw.push(i);
    for (const p of r.match.withKeywords ?? []) use(p).with.push(i);
    for (const p of r.match.withoutKeywords ?? []) use(p).without.push(i);
    for (const p of r.match.subject ?? []) use(p).subj.push(i);
  });
  // Aliases: the directory's own names first (区市场监督管理局, 市场监督管理局), then the rules'.
  // Townships are known by their full names and, from three characters on, their bare names.
  const bareTownships = new Map<string, string>();
  for (const a of directory.agencies) {
    if (a.kind === 'transfer') continue;
    use(a.name).alias = a.code;
    const short = a.name.replace(/^区/, '');
    if (short !== a.name && short.length >= 4) use(short).alias ??= a.code;
    if (a.kind === 'township' && a.township) {
      use(a.township).township = a.code;
      const bare = normalizeText(a.township.replace(/(街道|镇|乡)$/, ''));
      bareTownships.set(bare, a.code);
      if (bare.length >= 3) use(bare).township = a.code;
    }
  }
  for (const [alias, code] of Object.entries(rules.subjectAliases)) use(alias).alias = code;
  for (const [alias, code] of Object.entries(rules.townshipAliases)) use(alias).township = code;
  for (const p of rules.stopPhrases) use(p).stop = true;
  rules.problemTypes.forEach((t, i) => { for (const p of t.keywords) use(p).problems.push(i); });
  rules.domains.forEach((d, i) => { for (const p of d.keywords) use(p).domains.push(i); });

  const table = [...pids.values()];
  for (const u of table) {
    u.named = u.alias !== null || u.township !== null || u.stop;
    u.plain = u.kw.length + u.with.length + u.without.length + u.subj.length + u.problems.length + u.domains.length > 0;
  }
  const ac = buildAhoCorasick(table.map((u) => u.text));
  const categories = rules.rules.map((r) => r.match.category?.map(normalizeText));
  const minScore = rules.thresholds.minScore;
  const minMargin = rules.thresholds.minMargin;
  const transferMin = rules.thresholds.transferMinScore ?? minScore;
  const label = (r: Rule) => r.label ?? r.id;
  const ruleById = new Map(rules.rules.map((r) => [r.id, r]));

  function routeDraft(draft: RoutableDraft): RoutingResult {
    // ---- one pass over all fields -------------------------------------------------------
    const parts = [draft.title, draft.content, draft.subject ?? '', draft.address ?? '', draft.township ?? '']
      .map((p) => normalizeText(p).replaceAll(SEP, ' '));
    const bounds: number[] = [];
    let acc = 0;
    for (const p of parts) { acc += p.length; bounds.push(acc); acc += SEP.length; }
    const segOf = (start: number): Seg => {
      let s = 0;
      while (start >= bounds[s]!) s++;
      return s as Seg;
    };
    // Names (aliases, townships, stop phrases) keep their spans for longest-match; everything
    // else is only recorded once per pattern and segment kind.
    const hits: Hit[] = [];
    const seen = new Map<number, number>(); // pid → bit 1 title, 2 content, 4 subject
    ac.search(parts.join(SEP), (pid, start, end) => {
      const uses = table[pid]!;
      const seg = segOf(start);
      if (uses.named) hits.push({ uses, start, end, seg });
      if (uses.plain && seg <= Seg.Subject) seen.set(pid, (seen.get(pid) ?? 0) | (1 << seg));
    });

    const stops = hits.filter((h) => h.uses.stop);
    const inside = (h: Hit, o: Hit) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start;
    const masked = (h: Hit) => stops.some((s) => inside(h, s));
    const aliasHits = hits.filter((h) => (h.uses.alias !== null || h.uses.township !== null) && !masked(h));
    // Longest match among names: 镇综合执法 hides 综合执法, 安监站 hides 安监.
    const nameHits = aliasHits.filter((h) => !aliasHits.some((o) => inside(h, o)));

    // ---- township ------------------------------------------------------------------------
    const townshipBySeg: [string | null, string | null, string | null, string | null, string | null] =
      [null, null, null, null, null];
    const textCounts = new Map<string, { n: number; first: number }>();
    for (const h of nameHits) {
      const code = h.uses.township;
      if (code === null) continue;
      if (h.seg === Seg.Title || h.seg === Seg.Content) {
        const c = textCounts.get(code);
        if (c) c.n++; else textCounts.set(code, { n: 1, first: h.start });
      } else townshipBySeg[h.seg] ??= code;
    }
    let textTownship: string | null = null;
    let best = { n: 0, first: Infinity };
    for (const [code, c] of textCounts) {
      if (c.n > best.n || (c.n === best.n && c.first < best.first)) { best = c; textTownship = code; }
    }
    // The township field may also hold a bare two-character name (梅湾, 伊塘).
    townshipBySeg[Seg.Township] ??= bareTownships.get(parts[Seg.Township]!.trim()) ?? null;
    const township = townshipBySeg[Seg.Township] ?? townshipBySeg[Seg.Subject] ?? townshipBySeg[Seg.Address] ?? textTownship;
    const resolveAlias = (target: string, seg: Seg) =>
      target === TOWNSHIP_ALIAS ? (seg === Seg.Subject ? townshipBySeg[Seg.Subject] ?? township : township) : target;

    // ---- subject (被反映单位) and agencies named in the text ----------------------------------
    let subjectHit: Hit | null = null;
    const mentions = new Map<string, { phrases: Set<string>; title: boolean }>();
    for (const h of nameHits) {
      if (h.uses.alias === null) continue;
      if (h.seg === Seg.Subject) {
        if (!subjectHit || h.end - h.start > subjectHit.end - subjectHit.start) subjectHit = h;
      } else if (h.seg === Seg.Title || h.seg === Seg.Content) {
        const code = resolveAlias(h.uses.alias, h.seg);
        if (code === null) continue;
        const m = mentions.get(code) ?? { phrases: new Set(), title: false };
        m.phrases.add(h.uses.text);
        if (h.seg === Seg.Title) m.title = true;
        mentions.set(code, m);
      }
    }
    const subject = subjectHit ? resolveAlias(subjectHit.uses.alias!, Seg.Subject) : townshipBySeg[Seg.Subject];
    // The subject as the reporter wrote it is quoted in the reason: without phone numbers, ID numbers or e-mails.
    const subjectWords = () => (subjectHit ? subjectHit.uses.text : maskText((draft.subject ?? '').trim()));

    // ---- keyword state per rule, problem types, domains ------------------------------------
    const n = rules.rules.length;
    const kw: (Set<string> | undefined)[] = new Array(n);
    const kwTitle = new Uint8Array(n);
    const withHit = new Uint8Array(n);
    const withoutHit = new Uint8Array(n);
    const subjHit = new Uint8Array(n);
    const problemHits = new Uint8Array(rules.problemTypes.length);
    const domainPhrases: Set<string>[] = rules.domains.map(() => new Set());
    for (const [pid, bits] of seen) {
      const u = table[pid]!;
      if (bits & 4) for (const i of u.subj) subjHit[i] = 1;
      if (!(bits & 3)) continue;
      for (const i of u.kw) {
        (kw[i] ??= new Set()).add(u.text);
        if (bits & 1) kwTitle[i] = 1;
      }
      for (const i of u.with) withHit[i] = 1;
      for (const i of u.without) withoutHit[i] = 1;
      for (const i of u.problems) problemHits[i] = 1;
      for (const i of u.domains) domainPhrases[i]!.add(u.text);
    }
    const category = draft.category ? normalizeText(draft.category) : '';

    // ---- score the rules ---------------------------------------------------------------------
    const firedHits: RuleHit[] = [];
    const cands = new Map<string, { score: number; priority: number; rules: string[] }>();
    const transfers = new Map<Transfer, { score: number; rules: string[] }>();
    const credit = (r: Rule, target: string, score: number, matched: string[]) => {
      firedHits.push({ rule: r.id, target, score: round(score), matched });
      if (r.transfer) {
        const t = transfers.get(r.transfer) ?? { score: 0, rules: [] };
        t.score += score; t.rules.push(r.id);
        transfers.set(r.transfer, t);
        return;
      }
      const c = cands.get(target) ?? { score: 0, priority: 0, rules: [] };
      c.score += score; c.priority = Math.max(c.priority, r.priority); c.rules.push(r.id);
      cands.set(target, c);
    };
    // Distinct phrases, leaving out one found inside another (占道 inside 占道经营).
    const distinct = (phrases: Set<string>) => {
      const all = [...phrases];
      return all.length < 2 ? all : all.filter((p) => !all.some((q) => q !== p && q.includes(p)));
    };
    const multiplier = (phrases: string[], title: boolean) =>
      1 + EXTRA_PHRASE_BONUS * Math.min(phrases.length - 1, MAX_EXTRA_PHRASES) + (title ? TITLE_BONUS : 0);
    const quote = (phrases: string[]) => phrases.map((p) => `“${p}”`).join('');

    rules.rules.forEach((r, i) => {
      const m = r.match;
      const matched: string[] = [];
      let mult = 1;
      if (m.keywords) {
        const set = kw[i];
        if (!set) return;
        const found = distinct(set);
        mult = multiplier(found, kwTitle[i] === 1);
        matched.push(quote(found));
      }
      if (m.withKeywords && !withHit[i]) return;
      if (m.withoutKeywords && withoutHit[i]) return;
      if (m.subject) {
        if (!subjHit[i]) return;
        matched.push(`被反映单位“${subjectWords()}”`);
      }
      if (m.township === false && township) return;
      if (m.township !== undefined && m.township !== false) {
        if (!township || (Array.isArray(m.township) && !m.township.includes(township))) return;
        matched.push(`乡镇/街道：${townshipName.get(township) ?? township}`);
      }
      if (m.category) {
        const c = categories[i]!.find((x) => category.includes(x));
        if (c === undefined) return;
        matched.push(`来源分类“${draft.category}”`);
      }
      if (m.channel) {
        if (!m.channel.includes(draft.source)) return;
        matched.push(`渠道：${channelName(draft.source)}`);
      }

      if (r.transfer) { credit(r, r.transfer, r.weight * mult, matched); return; }
      switch (r.agency) {
        case '@subject':
          if (subject) credit(r, subject, r.weight * mult, [`被反映单位“${subjectWords()}”`, ...matched]);
          return;
        case '@township':
          if (township) credit(r, township, r.weight * mult, matched.length ? matched : [`乡镇/街道：${townshipName.get(township) ?? township}`]);
          return;
        case '@mention':
          for (const [code, men] of mentions) {
            const found = distinct(men.phrases);
            credit(r, code, r.weight * mult * multiplier(found, men.title), [`文中点名${quote(found)}`, ...matched]);
          }
          return;
        default:
          credit(r, r.agency!, r.weight * mult, matched);
      }
    });

    // ---- decide --------------------------------------------------------------------------
    const ranked = [...cands]
      .map(([agency, c]) => ({ agency, name: nameOf(agency), score: round(c.score), priority: c.priority, rules: c.rules }))
      .sort((a, b) => b.priority - a.priority || b.score - a.score || (a.agency < b.agency ? -1 : 1));
    const top = ranked[0];
    const second = ranked[1];
    let confident = false;
    let why: string;
    if (!top) {
      why = '未命中任何分流规则，留待人工研判。';
    } else if (top.score < minScore) {
      why = `最高得分 ${top.score} 低于阈值 ${minScore}，留待人工研判。`;
    } else if (second && second.priority === top.priority && top.score - second.score < minMargin) {
      why = `${top.name}（${top.score}）与${second.name}（${second.score}）得分${top.score === second.score ? '相同' : '接近'}，留待人工研判。`;
    } else {
      confident = true;
      why = `建议交办${top.name}（得分 ${top.score}）。`;
    }
    const agency = confident ? top!.agency : null;

    const ts = [...transfers]
      .map(([transfer, t]) => ({ transfer, score: round(t.score), rules: t.rules }))
      .sort((a, b) => b.score - a.score || (a.transfer === 'discipline' ? -1 : 1));
    const transfer = ts[0] && ts[0].score >= transferMin ? ts[0].transfer : null;

    const describe = (target: string) =>
      firedHits.filter((h) => h.target === target)
        .map((h) => {
          const r = ruleById.get(h.rule)!;
          const dynamic = r.agency?.startsWith('@') && !r.label;
          return dynamic ? h.matched.join('，') : `「${label(r)}」${h.matched.join('，')}`;
        })
        .join('；');

    const reasonParts = [why];
    if (top) {
      reasonParts.push(confident ? `依据：${describe(top.agency)}。` : `参考：${describe(top.agency)}。`);
      const others = ranked.slice(1, 3).map((c) => `${c.name}（${c.score}）`);
      if (others.length) reasonParts.push(`${confident ? '次选' : '其他候选'}：${others.join('、')}。`);
    }
    if (transfer) reasonParts.push(`另建议移送${TRANSFER_NAMES[transfer]}：${describe(transfer)}。`);

    // ---- classification ----------------------------------------------------------------------
    const problemTypes = rules.problemTypes.filter((_, i) => problemHits[i]).map((t) => t.name);
    const domainAgency = agency ?? (top && top.score >= minScore ? top.agency : null);
    const key = domainAgency && townshipName.has(domainAgency) ? TOWNSHIP_ALIAS : domainAgency;
    const bestDomain = (idx: number[]) => {
      let b = -1;
      for (const i of idx) if (b === -1 || domainPhrases[i]!.size > domainPhrases[b]!.size) b = i;
      return b;
    };
    const listed = key ? rules.domains.flatMap((d, i) => (d.agencies.includes(key) ? [i] : [])) : [];
    let d = bestDomain(listed);
    if (d === -1) {
      d = bestDomain(rules.domains.map((_, i) => i));
      if (d !== -1 && domainPhrases[d]!.size === 0) d = -1;
    }

    return {
      agency,
      transfer,
      confident,
      reason: reasonParts.join(''),
      candidates: ranked.slice(0, MAX_CANDIDATES),
      transfers: ts,
      hits: firedHits,
      township,
      subject,
      problemTypes,
      domain: d === -1 ? null : rules.domains[d]!.name,
    };
  }

  return { rules, route: routeDraft };
}

const compiled = new WeakMap<RoutingRules, WeakMap<Directory, Router>>();

/** Routes one lead; the automaton is compiled once per (rules, directory) pair and reused. */
export function route(draft: RoutableDraft, rules: RoutingRules, directory: Directory): RoutingResult {
  let byDir = compiled.get(rules);
  if (!byDir) { byDir = new WeakMap(); compiled.set(rules, byDir); }
  let router = byDir.get(directory);
  if (!router) { router = compileRules(rules, directory); byDir.set(directory, router); }
  return router.route(draft);
}
