// `xiansuo config export` prints the effective configuration (XIANSUO_CONFIG merged over the
// built-ins) as a file that can be edited and used as XIANSUO_CONFIG; `xiansuo config check FILE`
// validates one without starting anything.
import type { Config } from '../runtime/config.ts';
import { readConfigFile } from '../runtime/configFile.ts';
import { BUILTIN_DIRECTORY } from '../domain/directory.ts';
import { placeholderWarnings } from '../runtime/describe.ts';
import { CliError, type Io } from './common.ts';

export function configCommand(args: string[], config: Config, io: Io): number {
  const [sub, file, ...extra] = args;
  if (sub === 'export' && !file) {
    const f = config.file;
    io.out(JSON.stringify({
      directory: { replace: true, bureauEmail: f.directory.bureauEmail, agencies: f.directory.agencies },
      routing: { replace: true, ...f.routing },
      deadlines: f.deadlines,
      dedupe: f.dedupe,
    }, null, 2));
    return 0;
  }
  if (sub === 'check' && file && !extra.length) {
    const f = readConfigFile(file, config.channels.map((c) => c.name));
    const builtin = new Map(BUILTIN_DIRECTORY.agencies.map((a) => [a.code, JSON.stringify(a)]));
    const changed = f.directory.agencies.filter((a) => builtin.has(a.code) && builtin.get(a.code) !== JSON.stringify(a)).length;
    const added = f.directory.agencies.filter((a) => !builtin.has(a.code)).length;
    io.out(`配置文件有效：${file}`);
    io.out(`  单位 ${f.directory.agencies.length} 个（与内置相比修改 ${changed} 个、新增 ${added} 个），监督科 ${f.directory.bureauEmail}`);
    io.out(`  路由规则 ${(f.routing.rules as unknown[]).length} 条；期限：一般 签收 ${JSON.stringify(f.deadlines.normal.acknowledge)}、整改反馈 ${JSON.stringify(f.deadlines.normal.feedback)}`);
    for (const w of placeholderWarnings({ ...config, directory: f.directory })) io.out(`  注意：${w}`);
    return 0;
  }
  throw new CliError('用法: xiansuo config export | xiansuo config check FILE');
}
