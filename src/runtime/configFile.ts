// The XIANSUO_CONFIG file: directory, routing rules, deadline policy and de-duplication, each
// merged over the built-ins. An agency entry names its code and only what changes; a rule entry
// replaces the built-in rule of its id (or adds one); unknown keys are refused by name.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BUILT_IN_DEADLINE_POLICY, deadlinePolicySchema, type DeadlinePolicy } from '../domain/calendar/index.ts';
import { DedupeOptionsSchema } from '../domain/dedupe/index.ts';
import { BUILTIN_DIRECTORY, type Agency, type Directory } from '../domain/directory.ts';
import { DEFAULT_HOTSPOT_RULE, hotspotRuleSchema, type HotspotRule } from '../domain/hotspots.ts';
import { BUILTIN_RULES_DATA, validateRules } from '../domain/routing/index.ts';
import { CHANNEL_NAMES } from '../../webhooks/index.ts';

const robot = z.strictObject({ kind: z.enum(['wecom', 'dingtalk', 'feishu']), url: z.url() });

const agencyPatch = z.strictObject({
  code: z.string().regex(/^[a-z0-9-]+$/, '代码只能包含小写字母、数字和连字符'),
  name: z.string().min(1).optional(),
  kind: z.enum(['agency', 'township', 'transfer', 'bureau']).optional(),
  email: z.email().optional(),
  headEmail: z.email().optional(),
  township: z.string().optional(),
  robots: z.array(robot).optional(),
});

const stage = z.union([z.strictObject({ workingDays: z.number() }), z.strictObject({ hours: z.number() })]);
const priorityPatch = z.strictObject({ acknowledge: stage.optional(), feedback: stage.optional() });

export const configFileSchema = z.strictObject({
  directory: z.strictObject({
    /** true: the file's agencies are the whole directory; otherwise they patch the built-in one. */
    replace: z.boolean().optional(),
    bureauEmail: z.email().optional(),
    agencies: z.array(agencyPatch).optional(),
  }).optional(),
  routing: z.record(z.string(), z.unknown()).optional(),
  deadlines: z.strictObject({ normal: priorityPatch.optional(), urgent: priorityPatch.optional() }).optional(),
  dedupe: z.unknown().optional(),
  /** Callback endpoints per source (API.md §7), checked by callbackConfig.ts. */
  callbacks: z.unknown().optional(),
  /** The hotspot rule's thresholds (domain/hotspots.ts), each optional. */
  hotspots: z.unknown().optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

/** The effective sections, after merging; `routing` is in file form (RoutingRulesInput). */
export interface EffectiveConfig {
  directory: Directory;
  routing: Record<string, unknown>;
  deadlines: DeadlinePolicy;
  dedupe: Record<string, unknown>;
  /** As in the file; callbackConfig.ts validates it. */
  callbacks?: unknown;
  /** The hotspot rule: the built-in thresholds with the file's over them. */
  hotspots: HotspotRule;
}

function fail(label: string, detail: string): never {
  throw new Error(`配置错误（XIANSUO_CONFIG ${label}）：${detail}`);
}

function issueText(issue: z.core.$ZodIssue, prefix: PropertyKey[] = []): string {
  const path = [...prefix, ...issue.path].map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
  if (issue.code === 'unrecognized_keys') {
    return `${path ? `${path}：` : ''}未知的键 ${issue.keys.map((k) => `“${k}”`).join('、')}`;
  }
  return `${path || '(根)'}：${issue.message}`;
}

export function issuesText(error: z.ZodError, prefix: PropertyKey[] = []): string {
  return error.issues.slice(0, 3).map((i) => issueText(i, prefix)).join('；');
}

function mergeDirectory(patch: ConfigFile['directory'], label: string): Directory {
  if (!patch) return BUILTIN_DIRECTORY;
  const base = patch.replace ? [] : BUILTIN_DIRECTORY.agencies;
  const agencies: Agency[] = base.map((a) => ({ ...a }));
  const seen = new Set<string>();
  for (const [i, entry] of (patch.agencies ?? []).entries()) {
    if (seen.has(entry.code)) fail(label, `directory.agencies[${i}]：单位代码 “${entry.code}” 重复`);
    seen.add(entry.code);
    const at = agencies.findIndex((a) => a.code === entry.code);
    if (at >= 0) {
      agencies[at] = { ...agencies[at]!, ...entry } as Agency;
      continue;
    }
    const missing = (['name', 'kind', 'email', 'headEmail'] as const).filter((k) => entry[k] === undefined);
    if (missing.length) {
      fail(label, `directory.agencies[${i}]：新单位 “${entry.code}” 缺少 ${missing.join('、')}（内置单位只需写要改的字段）`);
    }
    agencies.push(entry as Agency);
  }
  if (agencies.length === 0) fail(label, 'directory.agencies：单位名录为空');
  return { bureauEmail: patch.bureauEmail ?? BUILTIN_DIRECTORY.bureauEmail, agencies };
}

/** Routing: `rules`, `problemTypes` and `domains` entries replace the built-in one of the same id/name or are added. */
function mergeRouting(patch: Record<string, unknown> | undefined, label: string): Record<string, unknown> {
  const base = structuredClone(BUILTIN_RULES_DATA) as unknown as Record<string, unknown>;
  if (!patch) return base;
  const { replace, removeRules, ...rest } = patch;
  if (replace !== undefined && typeof replace !== 'boolean') fail(label, 'routing.replace 应为 true 或 false');
  if (replace === true) return rest;
  const out: Record<string, unknown> = { ...base };
  const byKey = (key: string, field: 'id' | 'name') => {
    const given = rest[key];
    if (given === undefined) return;
    if (!Array.isArray(given)) fail(label, `routing.${key} 应为数组`);
    const list = [...(base[key] as Record<string, unknown>[])];
    for (const item of given as Record<string, unknown>[]) {
      const at = list.findIndex((r) => item && typeof item === 'object' && r[field] === item[field]);
      if (at >= 0) list[at] = item;
      else list.push(item);
    }
    out[key] = list;
  };
  byKey('rules', 'id');
  byKey('problemTypes', 'name');
  byKey('domains', 'name');
  for (const key of ['thresholds', 'subjectAliases', 'townshipAliases'] as const) {
    if (rest[key] === undefined) continue;
    if (typeof rest[key] !== 'object' || rest[key] === null || Array.isArray(rest[key])) fail(label, `routing.${key} 应为对象`);
    out[key] = { ...(base[key] as object), ...(rest[key] as object) };
  }
  if (rest.stopPhrases !== undefined) {
    if (!Array.isArray(rest.stopPhrases)) fail(label, 'routing.stopPhrases 应为数组');
    out.stopPhrases = [...new Set([...(base.stopPhrases as string[]), ...rest.stopPhrases as string[]])];
  }
  for (const key of Object.keys(rest)) if (!(key in base) && !(key in out)) out[key] = rest[key]; // refused by the schema, by name
  if (rest.version !== undefined) out.version = rest.version;
  if (removeRules !== undefined) {
    if (!Array.isArray(removeRules)) fail(label, 'routing.removeRules 应为规则 id 的数组');
    const rules = out.rules as { id: string }[];
    for (const id of removeRules) {
      if (!rules.some((r) => r.id === id)) fail(label, `routing.removeRules：没有 id 为 “${String(id)}” 的规则`);
    }
    out.rules = rules.filter((r) => !removeRules.includes(r.id));
  }
  return out;
}

function mergeDeadlines(patch: ConfigFile['deadlines'], label: string): DeadlinePolicy {
  const merged = {
    normal: { ...BUILT_IN_DEADLINE_POLICY.normal, ...patch?.normal },
    urgent: { ...BUILT_IN_DEADLINE_POLICY.urgent, ...patch?.urgent },
  };
  const parsed = deadlinePolicySchema.safeParse(merged);
  if (!parsed.success) fail(label, issuesText(parsed.error, ['deadlines']));
  return parsed.data;
}

/**
 * Parses, merges over the built-ins and validates a configuration; errors name the bad entry.
 * `channels`: the channel codes a routing rule may name (the registered sources', bureau, public).
 */
export function effectiveConfig(json: unknown, label: string, channels: readonly string[] = CHANNEL_NAMES): EffectiveConfig {
  const f = configFileSchema.safeParse(json);
  if (!f.success) fail(label, issuesText(f.error));
  const directory = mergeDirectory(f.data.directory, label);
  const routing = mergeRouting(f.data.routing, label);
  const checked = validateRules(routing, directory);
  if (!checked.ok) fail(label, `routing：${checked.errors.slice(0, 3).join('；')}`);
  const known = new Set(channels);
  const unknown = checked.rules.rules.flatMap((r) => (r.match.channel ?? []).filter((c) => !known.has(c)).map((c) => `${r.id}：未知渠道“${c}”`));
  if (unknown.length) fail(label, `routing：${unknown.slice(0, 3).join('；')}（渠道可为 ${[...known].join('、')}）`);
  const deadlines = mergeDeadlines(f.data.deadlines, label);
  const dedupeParsed = DedupeOptionsSchema.strict().safeParse(f.data.dedupe ?? {});
  if (!dedupeParsed.success) fail(label, issuesText(dedupeParsed.error, ['dedupe']));
  const dedupe = dedupeParsed.data as Record<string, unknown>; // the tunable options; loadDedupeConfig adds the rest
  const hotspotsParsed = hotspotRuleSchema.safeParse({ ...DEFAULT_HOTSPOT_RULE, ...(f.data.hotspots as object | undefined) });
  if (f.data.hotspots !== undefined && (typeof f.data.hotspots !== 'object' || f.data.hotspots === null || Array.isArray(f.data.hotspots))) {
    fail(label, 'hotspots 应为对象');
  }
  if (!hotspotsParsed.success) fail(label, issuesText(hotspotsParsed.error, ['hotspots']));
  return { directory, routing, deadlines, dedupe, callbacks: f.data.callbacks, hotspots: hotspotsParsed.data };
}

/** Reads and merges the file XIANSUO_CONFIG names (the built-ins when none). */
export function readConfigFile(path: string | undefined, channels: readonly string[] = CHANNEL_NAMES): EffectiveConfig {
  if (!path) return effectiveConfig({}, '(内置)', channels);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? '文件不存在' : e instanceof SyntaxError ? `不是有效的 JSON：${e.message}` : e.message;
    throw new Error(`配置错误：无法读取 XIANSUO_CONFIG “${path}”：${why}`);
  }
  return effectiveConfig(json, path, channels);
}
