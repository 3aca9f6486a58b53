// `xiansuo backup FILE`: a consistent copy of the SQLite database, taken while the service runs,
// then checked (SQLite's integrity check and the full-process record's hash chain on the copy).
// On PostgreSQL it says to use pg_dump.
import { resolve } from 'node:path';
import { verifyAuditRecord } from '../app/verifyAuditRecord.ts';
import { backupSqlite } from '../runtime/backup.ts';
import type { Config } from '../runtime/config.ts';
import { connect } from '../runtime/database.ts';
import { describeDatabase } from '../runtime/describe.ts';
import { auditVerifier } from '../runtime/ports.ts';
import { CliError, type Io } from './common.ts';
import { reportLines } from './audit.ts';
import { auditKey } from '../domain/audit.ts';

export async function backupCommand(args: string[], config: Config, io: Io): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) throw new CliError('用法: xiansuo backup FILE');
  const destination = resolve(args[0]!);
  io.note(`xiansuo: 数据库 ${describeDatabase(config.databaseUrl)}`);
  const r = await backupSqlite(config.databaseUrl, destination);
  if (r.integrity !== 'ok') throw new Error(`备份副本 ${destination} 未通过完整性检查：${r.integrity}`);
  const copy = connect(destination);
  try {
    const audit = await verifyAuditRecord({ audit: auditVerifier(copy) }, { key: config.auditKey ? auditKey(config.auditKey) : undefined });
    if (!audit.ok) throw new Error(`备份副本的全过程记录校验失败：${reportLines(audit).join('；')}`);
    io.out(`已备份到 ${destination}（${(r.bytes / 1048576).toFixed(1)} MiB，完整性检查通过，全过程记录 ${audit.chain.checked} 条校验完好）`);
  } finally {
    await copy.close();
  }
  return 0;
}
