// npx xiansuo audit verify [--anchor SEQ:HASH]: checks the full-process record's chain (keyed with
// XIANSUO_AUDIT_KEY where it is), optionally against a published head, and that every lead's and
// assignment's status, agency and deadlines are what the record last says they became.
import { parseArgs } from 'node:util';
import { auditKey, parseAnchor } from '../domain/audit.ts';
import type { Clock } from '../domain/types.ts';
import { verifyAuditRecord } from '../app/verifyAuditRecord.ts';
import type { AuditReport } from '../domain/auditReport.ts';
import { auditVerifier } from '../runtime/ports.ts';
import type { Config } from '../runtime/config.ts';
import { CliError, withDatabase } from './common.ts';

export const AUDIT_USAGE = `  audit verify [--anchor SEQ:HASH]
                                 校验全过程记录的哈希链（设置了 XIANSUO_AUDIT_KEY 时校验密钥签名）、
                                 与每日公布的链头是否一致，以及线索和交办的状态、单位、期限是否在服务之外被改动`;

/** The report as lines for an operator; the first line says whether the record is whole. */
export function reportLines(r: AuditReport, anchor?: { seq: number; hash: string }): string[] {
  const c = r.chain;
  if (!c.ok) {
    return [c.seq !== undefined
      ? `全过程记录被破坏：第 ${c.seq} 条：${c.reason}（此前 ${c.checked} 条完好）`
      : `全过程记录无法校验：${c.reason}`];
  }
  const s = r.states!;
  const keyed = c.keyedFrom === null ? '未启用密钥：普通 SHA-256 哈希链' : `自第 ${c.keyedFrom} 条起以密钥签名`;
  const lines = [
    `${s.total === 0 ? '全过程记录完整' : '全过程记录的哈希链完好，但数据与记录不符'}：已校验 ${c.checked} 条（${keyed}），链头 ${r.head.seq}:${r.head.hash}`,
  ];
  if (anchor) lines.push(`与公布的链头（第 ${anchor.seq} 条）一致`);
  lines.push(`线索状态：${s.checked} 条线索已与记录核对${s.unrecorded ? `；${s.unrecorded} 条升级前的线索尚无状态记载（下次变动时开始记载）` : ''}`);
  if (s.total > 0) {
    lines.push(`发现 ${s.total} 处在服务之外的改动：`);
    for (const d of s.differences) lines.push(`  - ${d}`);
    if (s.total > s.differences.length) lines.push(`  …… 另有 ${s.total - s.differences.length} 处`);
  }
  return lines;
}

export async function auditCommand(
  sub: string | undefined, args: string[], ctx: { config: Config; clock: Clock; out: (s: string) => void },
): Promise<number> {
  if (sub !== 'verify') throw new CliError('用法: xiansuo audit verify [--anchor SEQ:HASH]');
  const { values } = parseArgs({ args, strict: true, options: { anchor: { type: 'string' } } });
  const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
  if (values.anchor !== undefined && !anchor) {
    throw new CliError(`--anchor 应为 “序号:哈希”（每日汇总邮件中公布的链头，哈希为 64 位十六进制），收到 “${values.anchor}”`);
  }
  const key = ctx.config.auditKey ? auditKey(ctx.config.auditKey) : undefined;
  const report = await withDatabase(ctx.config, (d) => verifyAuditRecord({ audit: auditVerifier(d) }, { key, anchor }));
  for (const line of reportLines(report, anchor)) ctx.out(line);
  return report.ok ? 0 : 1;
}
