// xiansuo sources [--json]: per inbound source, the deliveries taken in by answer, the last
// refusal's reason, and its callbacks (pending, failed, delivered, the last error).
import { sourceOverview } from '../app/sourceOverview.ts';
import type { SourceOverview } from '../domain/sourceLog.ts';
import type { Config } from '../runtime/config.ts';
import type { Database } from '../runtime/database.ts';
import { sourceLogReads } from '../runtime/ports.ts';

export function sourcesReport(database: Database, config: Config): Promise<SourceOverview[]> {
  return sourceOverview({ reads: sourceLogReads(database) }, config);
}

/** The report as lines a person reads (times as stored, UTC). */
export function sourcesText(items: SourceOverview[]): string[] {
  const lines: string[] = [];
  for (const s of items) {
    lines.push(`${s.name}（${s.source}）${s.enabled ? '' : '：未启用（未设置 WEBHOOK_SECRET_' + s.source.toUpperCase() + '）'}`);
    const answers = Object.entries(s.inbound.byStatus).map(([status, n]) => `${status}×${n}`).join('，');
    lines.push(`  接收 ${s.inbound.total} 次${answers ? `：${answers}` : ''}`);
    if (s.inbound.lastRefusal) {
      const r = s.inbound.lastRefusal;
      lines.push(`  最近一次拒收：${r.at} ${r.status} ${r.detail ?? ''}`.trimEnd());
    }
    if (!s.callback) {
      lines.push('  回调：未配置');
      continue;
    }
    const c = s.callback;
    lines.push(`  回调 ${c.url}：待发送 ${c.pending}，已放弃 ${c.failed}，已送达 ${c.delivered}`);
    if (c.lastError) lines.push(`  最近一次回调失败：${c.lastError.at} ${c.lastError.type} ${c.lastError.error}`);
  }
  return lines;
}
