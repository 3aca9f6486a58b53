// Routing rules as data: the zod schema of the rules file and its validation against a directory.
import { z } from 'zod';
import type { Directory } from '../directory.ts';

/**
 * Rule targets that are resolved per lead instead of naming a fixed agency:
 * - `@subject`  the agency the reporter's stated subject (被反映单位) resolves to through `subjectAliases`;
 * - `@mention`  every agency whose alias is named in the title or content;
 * - `@township` the township enforcement body of the township recognised for the lead.
 */
export const DYNAMIC_TARGETS = ['@subject', '@mention', '@township'] as const;
export type DynamicTarget = (typeof DYNAMIC_TARGETS)[number];

/** Alias target meaning "the township body of the township named with it" (镇政府, 街道办 …). */
export const TOWNSHIP_ALIAS = '@township';

const phrase = z.string().trim().min(1, 'empty phrase').max(60);
const phrases = z.array(phrase).min(1, 'empty list');

export const RuleMatch = z
  .object({
    /** At least one of these phrases occurs in the title or content. */
    keywords: phrases.optional(),
    /** And at least one of these too (narrows a broad keyword list). */
    withKeywords: phrases.optional(),
    /** And none of these. */
    withoutKeywords: phrases.optional(),
    /** The stated subject (被反映单位) contains one of these. */
    subject: phrases.optional(),
    /** A township was recognised (true), none was (false), or one of these township agency codes. */
    township: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).optional(),
    /** The source's own category contains one of these. */
    category: phrases.optional(),
    /** The lead came through one of these channels (codes; the runtime checks them against the registry). */
    channel: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
export type RuleMatch = z.infer<typeof RuleMatch>;

export const Rule = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'ids use letters, digits, ".", "_" and "-"'),
    /** A directory code, or one of `@subject`, `@mention`, `@township`. Exactly one of agency/transfer. */
    agency: z.string().min(1).optional(),
    transfer: z.enum(['discipline', 'judicial']).optional(),
    /** Tier: an agency backed by a higher-priority rule outranks any score from lower tiers. */
    priority: z.number().int().min(0).max(100).default(0),
    /** Points the rule gives when it fires (keyword rules: more for more phrases and a title hit). */
    weight: z.number().positive().max(100).default(1),
    /** Short Chinese label used in the human-readable reason, e.g. "占道经营、流动摊贩". */
    label: z.string().min(1).optional(),
    match: RuleMatch.default({}),
  })
  .strict();
export type Rule = z.infer<typeof Rule>;

export const ProblemType = z.object({ name: z.string().min(1), keywords: phrases }).strict();
export const Domain = z
  .object({
    name: z.string().min(1),
    /** Agencies whose leads fall in this field; `@township` for the township enforcement bodies. */
    agencies: z.array(z.string().min(1)).default([]),
    keywords: z.array(phrase).default([]),
  })
  .strict();

export const RoutingRules = z
  .object({
    version: z.literal(1),
    thresholds: z
      .object({
        /** Below this the best agency is too weak: the lead stays in triage. */
        minScore: z.number().nonnegative(),
        /** The best agency must lead the runner-up (same tier) by at least this much. */
        minMargin: z.number().nonnegative(),
        /** A transfer is proposed from this score on (default: minScore). */
        transferMinScore: z.number().nonnegative().optional(),
      })
      .strict(),
    /** How people name agencies (城管, 交警, 市监 …) → directory code or `@township`. */
    subjectAliases: z.record(phrase, z.string().min(1)).default({}),
    /** Extra names of townships → township agency code (their directory names are always known). */
    townshipAliases: z.record(phrase, z.string().min(1)).default({}),
    /** Phrases inside which an agency or township name does not count (工商银行 hides 工商, 消防通道 hides 消防). */
    stopPhrases: z.array(phrase).default([]),
    rules: z.array(Rule).min(1),
    problemTypes: z.array(ProblemType).default([]),
    domains: z.array(Domain).default([]),
  })
  .strict();
export type RoutingRules = z.infer<typeof RoutingRules>;
/** The rules as written in a file (defaults not yet applied). */
export type RoutingRulesInput = z.input<typeof RoutingRules>;

export type ValidationResult = { ok: true; rules: RoutingRules } | { ok: false; errors: string[] };

function where(path: readonly PropertyKey[], json: unknown): string {
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const raw = (json as { rules?: unknown[] } | null)?.rules?.[path[1]];
    const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string'
      ? ` (id "${(raw as { id: string }).id}")` : '';
    const rest = path.slice(2).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `rules[${path[1]}]${id}${rest ? ` ${rest.replace(/^\./, '')}` : ''}`;
  }
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(root)';
}

/** Parses a rules file and checks it against the directory; errors name the bad rule. */
export function validateRules(json: unknown, directory: Directory): ValidationResult {
  const parsed = RoutingRules.safeParse(json);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${where(i.path, json)}: ${i.message}`) };
  }
  const rules = parsed.data;
  const errors: string[] = [];
  const byCode = new Map(directory.agencies.map((a) => [a.code, a]));
  const isTarget = (code: string) => {
    const a = byCode.get(code);
    return a !== undefined && a.kind !== 'transfer';
  };
  const agencyProblem = (code: string): string | null => {
    const a = byCode.get(code);
    if (!a) return `unknown agency "${code}"`;
    if (a.kind === 'transfer') return `"${code}" is a transfer target, use transfer: "discipline" or "judicial"`;
    return null;
  };

  const seen = new Map<string, number>();
  rules.rules.forEach((r, i) => {
    const at = `rules[${i}] (id "${r.id}")`;
    const first = seen.get(r.id);
    if (first !== undefined) errors.push(`${at}: duplicate id, already used by rules[${first}]`);
    else seen.set(r.id, i);
    if ((r.agency === undefined) === (r.transfer === undefined)) {
      errors.push(`${at}: give exactly one of "agency" and "transfer"`);
    }
    if (r.agency !== undefined && !r.agency.startsWith('@')) {
      const p = agencyProblem(r.agency);
      if (p) errors.push(`${at}: ${p}`);
    }
    if (r.agency?.startsWith('@') && !(DYNAMIC_TARGETS as readonly string[]).includes(r.agency)) {
      errors.push(`${at}: unknown target "${r.agency}" (known: ${DYNAMIC_TARGETS.join(', ')})`);
    }
    const m = r.match;
    const conditions = [m.keywords, m.subject, m.township, m.category, m.channel].filter((c) => c !== undefined);
    if (r.agency !== undefined && !r.agency.startsWith('@') && conditions.length === 0) {
      errors.push(`${at}: a rule naming a fixed agency needs a condition (keywords, subject, township, category or channel)`);
    }
    if (r.transfer !== undefined && conditions.length === 0) {
      errors.push(`${at}: a transfer rule needs a condition`);
    }
    if ((m.withKeywords || m.withoutKeywords) && !m.keywords) {
      errors.push(`${at}: withKeywords/withoutKeywords need keywords`);
    }
    if (Array.isArray(m.township)) {
      for (const code of m.township) {
        if (byCode.get(code)?.kind !== 'township') errors.push(`${at}: "${code}" is not a township agency`);
      }
    }
  });

  for (const [alias, code] of Object.entries(rules.subjectAliases)) {
    if (code === TOWNSHIP_ALIAS) continue;
    const p = agencyProblem(code);
    if (p) errors.push(`subjectAliases["${alias}"]: ${p}`);
  }
  for (const [alias, code] of Object.entries(rules.townshipAliases)) {
    if (byCode.get(code)?.kind !== 'township') errors.push(`townshipAliases["${alias}"]: "${code}" is not a township agency`);
  }
  rules.domains.forEach((d, i) => {
    for (const code of d.agencies) {
      if (code !== TOWNSHIP_ALIAS && !isTarget(code)) errors.push(`domains[${i}] ("${d.name}"): unknown agency "${code}"`);
    }
  });
  const names = new Set<string>();
  rules.problemTypes.forEach((p, i) => {
    if (names.has(p.name)) errors.push(`problemTypes[${i}] ("${p.name}"): duplicate name`);
    names.add(p.name);
  });

  return errors.length ? { ok: false, errors } : { ok: true, rules };
}
