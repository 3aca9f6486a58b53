// One-line descriptions of where the settings point, for the start line and the CLI (never a password).
import { resolve } from 'node:path';
import type { Config } from './config.ts';
import { isPostgresUrl } from './database.ts';

export function describeDatabase(url: string): string {
  if (isPostgresUrl(url)) {
    try {
      const u = new URL(url);
      return `PostgreSQL ${u.hostname || 'localhost'}${u.port ? `:${u.port}` : ''}${u.pathname || '/'}${u.username ? `（用户 ${decodeURIComponent(u.username)}）` : ''}`;
    } catch {
      return 'PostgreSQL';
    }
  }
  return url === ':memory:' ? 'SQLite :memory:（内存数据库，退出即丢失）' : `SQLite ${resolve(url)}`;
}

export function describeMail(config: Config): string {
  const smtp = config.env.SMTP_URL;
  if (smtp) {
    const u = new URL(smtp);
    return `SMTP ${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  }
  return `.eml 文件 ${resolve(config.env.XIANSUO_MAIL_DIR)}（未设置 SMTP_URL，邮件不会真正发出）`;
}

/** What the start line and `xiansuo …` say about the settings they use. */
export function describeSettings(config: Config): string {
  return `数据库 ${describeDatabase(config.databaseUrl)}；邮件 ${describeMail(config)}` +
    (config.settingsFile ? `；设置文件 ${config.settingsFile}` : '');
}

/** Warnings while the settings still hold placeholders. */
export function placeholderWarnings(config: Config): string[] {
  const out: string[] = [];
  if (/^https?:\/\/(localhost|127\.|\[::1\])/i.test(config.publicUrl)) {
    out.push(`XIANSUO_PUBLIC_URL 仍是 ${config.publicUrl}：邮件中的链接在别人的电脑上打不开，请设为服务对外的地址`);
  }
  const placeholders = config.directory.agencies.filter((a) => /@example\.gov\.cn$/i.test(a.email) || /@example\.gov\.cn$/i.test(a.headEmail));
  const bureau = /@example\.gov\.cn$/i.test(config.directory.bureauEmail);
  if (placeholders.length || bureau) {
    out.push(`${placeholders.length} 个单位${bureau ? '和监督科' : ''}仍使用 example.gov.cn 占位邮箱（如 ${(placeholders[0]?.code ?? 'bureauEmail')}），请在 XIANSUO_CONFIG 的 directory 中改为真实地址`);
  }
  return out;
}
