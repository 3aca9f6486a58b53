// /docs: a reading page rendered on the server from the OpenAPI document — operations,
// parameters, bodies, answers and callbacks — with a local stylesheet and no scripts.
type Json = Record<string, any>;

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const para = (s: unknown) => esc(s).split(/\n\n+/).map((p) => `<p>${p.replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`).join('');

function resolve(doc: Json, schema: Json): { schema: Json; name?: string } {
  if (typeof schema?.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return { schema: doc.components.schemas[name] ?? {}, name };
  }
  return { schema: schema ?? {} };
}

function typeOf(doc: Json, raw: Json): string {
  const { schema, name } = resolve(doc, raw);
  if (name) return name;
  if (schema.anyOf || schema.oneOf) return (schema.anyOf ?? schema.oneOf).map((s: Json) => typeOf(doc, s)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((e: unknown) => JSON.stringify(e)).join(' | ');
  if (schema.type === 'array') return `${typeOf(doc, schema.items ?? {})}[]`;
  if (schema.type) return [schema.type].flat().join(' | ');
  return '任意';
}

function constraints(schema: Json): string {
  const out: string[] = [];
  if (schema.minLength !== undefined) out.push(`至少 ${schema.minLength} 个字符`);
  if (schema.maxLength !== undefined) out.push(`至多 ${schema.maxLength} 个字符`);
  if (schema.minimum !== undefined && Math.abs(schema.minimum) < 1e15) out.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined && Math.abs(schema.maximum) < 1e15) out.push(`≤ ${schema.maximum}`);
  if (schema.maxItems !== undefined) out.push(`至多 ${schema.maxItems} 项`);
  if (schema.format === 'date-time') out.push('带时区的 ISO 8601 时间');
  else if (schema.format) out.push(`格式 ${esc(schema.format)}`);
  if (schema.pattern && !schema.format && schema.pattern.length <= 60) out.push(`格式 <code>${esc(schema.pattern)}</code>`);
  if (schema.default !== undefined) out.push(`默认 <code>${esc(JSON.stringify(schema.default))}</code>`);
  return out.join('，');
}

/** A schema as a nested list of its fields. */
function fields(doc: Json, raw: Json, depth = 0): string {
  const { schema } = resolve(doc, raw);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && depth < 4) {
    const objects = variants.map((v: Json) => resolve(doc, v).schema).filter((v: Json) => v.properties);
    if (objects.length > 0) return objects.map((v: Json, i: number) => `<div class="variant">形式 ${i + 1}${fields(doc, v, depth + 1)}</div>`).join('');
  }
  const target = schema.type === 'array' ? resolve(doc, schema.items ?? {}).schema : schema;
  const props: Json = target.properties ?? {};
  if (Object.keys(props).length === 0 || depth > 4) return '';
  const required = new Set<string>(target.required ?? []);
  const items = Object.entries(props).map(([name, p]) => {
    const inner = resolve(doc, p as Json).schema;
    const desc = inner.description ?? (p as Json).description ?? '';
    const more = constraints(inner);
    return `<li><code class="field">${esc(name)}</code> <span class="type">${esc(typeOf(doc, p as Json))}</span>`
      + `${required.has(name) ? ' <span class="req">必填</span>' : ''}`
      + `${desc ? ` — ${esc(desc)}` : ''}${more ? ` <span class="muted">（${more}）</span>` : ''}${fields(doc, p as Json, depth + 1)}</li>`;
  });
  const extra = target.additionalProperties === false ? '<li class="muted">不接受其他字段</li>' : '';
  return `<ul class="fields">${items.join('')}${extra}</ul>`;
}

function parameters(doc: Json, params: Json[] | undefined): string {
  if (!params?.length) return '';
  const where: Record<string, string> = { path: '路径', query: '查询', header: '请求头' };
  const rows = params.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${where[p.in] ?? esc(p.in)}</td>`
    + `<td>${esc(typeOf(doc, p.schema ?? {}))}${p.required ? ' <span class="req">必填</span>' : ''}</td>`
    + `<td>${esc(p.description)}${constraints(p.schema ?? {}) ? ` <span class="muted">（${constraints(p.schema ?? {})}）</span>` : ''}</td></tr>`);
  return `<h4>参数</h4><table><thead><tr><th>名称</th><th>位置</th><th>类型</th><th>说明</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function body(doc: Json, rb: Json | undefined): string {
  if (!rb) return '';
  const [type, media] = Object.entries(rb.content ?? {})[0] as [string, Json];
  const { name } = resolve(doc, media.schema ?? {});
  const example = media.example ? `<details><summary>示例</summary><pre>${esc(JSON.stringify(media.example, null, 2))}</pre></details>` : '';
  return `<h4>请求体 <span class="muted">${esc(type)}${rb.required ? '' : '，可省略'}${name ? `，${esc(name)}` : ''}</span></h4>${fields(doc, media.schema ?? {})}${example}`;
}

function responses(doc: Json, res: Json): string {
  const items = Object.entries(res).map(([status, r]) => {
    const content = Object.entries((r as Json).content ?? {})[0] as [string, Json] | undefined;
    const schema = content?.[1].schema;
    const named = schema ? resolve(doc, schema).name : undefined;
    const detail = schema && !['Problem', 'ValidationProblem'].includes(named ?? '') ? fields(doc, schema) : '';
    const headers = Object.keys((r as Json).headers ?? {}).map((h) => `<code>${esc(h)}</code>`).join(' ');
    return `<li><span class="status s${esc(status)[0]}">${esc(status)}</span> ${esc((r as Json).description)}`
      + `${content ? ` <span class="muted">${esc(content[0])}${named ? `，${esc(named)}` : ''}</span>` : ''}`
      + `${headers ? ` <span class="muted">请求头 ${headers}</span>` : ''}${detail ? `<details><summary>字段</summary>${detail}</details>` : ''}</li>`;
  });
  return `<h4>应答</h4><ul class="responses">${items.join('')}</ul>`;
}

function operation(doc: Json, method: string, path: string, op: Json, anchor: string): string {
  const auth = op.security?.length ? '<span class="badge">Bearer 令牌</span>' : '';
  return `<section class="op" id="${esc(anchor)}"><h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${auth}</h3>`
    + `<p class="summary">${esc(op.summary)}</p>${para(op.description)}${parameters(doc, op.parameters)}${body(doc, op.requestBody)}${responses(doc, op.responses ?? {})}</section>`;
}

export function renderDocs(doc: Json): string {
  const byTag = new Map<string, string[]>();
  const toc = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const tag = (op as Json).tags?.[0] ?? '其他';
      const anchor = (op as Json).operationId;
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(doc, method, path, op as Json, anchor)]);
      toc.set(tag, [...(toc.get(tag) ?? []), `<li><a href="#${esc(anchor)}">${esc((op as Json).summary)}</a></li>`]);
    }
  }
  for (const [type, item] of Object.entries(doc.webhooks as Json)) {
    const op = (item as Json).post;
    const anchor = op.operationId;
    byTag.set('回调', [...(byTag.get('回调') ?? []), operation(doc, 'post', `回调地址 · ${type}`, op, anchor)]);
    toc.set('回调', [...(toc.get('回调') ?? []), `<li><a href="#${esc(anchor)}">${esc(op.summary)}</a></li>`]);
  }
  const tags: Json[] = doc.tags;
  const sections = tags.filter((t) => byTag.has(t.name)).map((t) => `<section class="tag" id="tag-${esc(t.name)}"><h2>${esc(t.name)}</h2>${para(t.description)}${byTag.get(t.name)!.join('')}</section>`);
  const nav = tags.filter((t) => toc.has(t.name)).map((t) => `<li><a href="#tag-${esc(t.name)}">${esc(t.name)}</a><ul>${toc.get(t.name)!.join('')}</ul></li>`);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)}</title><link rel="stylesheet" href="/docs/style.css"></head>
<body><header><h1>${esc(doc.info.title)}</h1><p class="muted">OpenAPI ${esc(doc.openapi)} · 版本 ${esc(doc.info.version)} · 机器可读的描述：<a href="/openapi.json">/openapi.json</a></p>${para(doc.info.description)}
<p>认证：<code>Authorization: Bearer &lt;令牌&gt;</code>（/api 下的全部接口）；推送接入和回调按 Standard Webhooks 签名。</p></header>
<div class="layout"><nav aria-label="目录"><ul>${nav.join('')}</ul></nav><main>${sections.join('')}</main></div></body></html>`;
}

export const DOCS_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --soft: #f6f8fa; --accent: #0b5cad; }
* { box-sizing: border-box; }
body { margin: 0; overflow-wrap: anywhere; font: 15px/1.6 system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 1rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--soft); }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; word-break: break-all; }
h4 { font-size: .95rem; margin: 1rem 0 .25rem; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
pre { background: var(--soft); padding: .75rem; overflow-x: auto; border-radius: 6px; }
.layout { display: flex; gap: 1.5rem; padding: 0 1.25rem; }
nav { flex: 0 0 16rem; position: sticky; top: 0; align-self: flex-start; max-height: 100vh; overflow-y: auto; padding: 1rem 0; font-size: .9rem; }
nav ul { list-style: none; padding-left: .75rem; margin: 0; }
nav > ul { padding-left: 0; }
main { flex: 1; min-width: 0; padding-bottom: 3rem; }
.op { border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 1rem 0; }
.summary { font-weight: 600; margin: .25rem 0; }
.method { display: inline-block; min-width: 3.5rem; text-align: center; border-radius: 4px; padding: 0 .4rem; color: #fff; font-size: .85rem; background: #6e7781; }
.method.get { background: #1a7f37; } .method.post { background: #0b5cad; } .method.put { background: #9a6700; } .method.delete { background: #cf222e; }
.badge { font-size: .75rem; border: 1px solid var(--line); border-radius: 999px; padding: 0 .5rem; color: var(--muted); font-weight: normal; }
.muted { color: var(--muted); }
.req { color: #cf222e; font-size: .8rem; }
.type { color: #8250df; font-family: ui-monospace, monospace; font-size: .85em; }
.field { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
ul.fields { padding-left: 1.25rem; margin: .25rem 0; }
ul.responses { list-style: none; padding-left: 0; }
.status { display: inline-block; min-width: 2.75rem; text-align: center; border-radius: 4px; font-weight: 600; font-size: .85rem; background: var(--soft); border: 1px solid var(--line); }
.status.s2 { color: #1a7f37; } .status.s4 { color: #9a6700; } .status.s5 { color: #cf222e; }
.variant { border-left: 3px solid var(--line); padding-left: .5rem; margin: .25rem 0; }
@media (max-width: 800px) { .layout { display: block; } nav { position: static; max-height: none; } }
`;
