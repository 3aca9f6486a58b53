// `xiansuo mail show [FILE…|--last N]`: reads the .eml files written without SMTP_URL
// (XIANSUO_MAIL_DIR): sender, recipients, subject, date (in the bureau's zone) and the plain text.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../runtime/config.ts';
import { CliError, formatLocal, type Io } from './common.ts';

function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return new TextDecoder(charset.toLowerCase() === 'utf8' ? 'utf-8' : charset).decode(bytes);
  });
}

function parsePart(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding = ''): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The plain text of a message: its text/plain part (or the whole body of a single-part message). */
function plainText(part: { headers: Map<string, string>; body: string }): string {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const chunk of part.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const text = plainText(parsePart(chunk.replace(/^\r?\n/, '')));
      if (text) return text;
    }
    return '';
  }
  if (!/^text\/plain/i.test(type)) return '';
  return decodeBody(part.body, part.headers.get('content-transfer-encoding'));
}

export function readEml(file: string, tz: string): string {
  const part = parsePart(readFileSync(file, 'utf8'));
  const h = (k: string) => decodeWords(part.headers.get(k) ?? '');
  const date = part.headers.get('date');
  return [
    `文件：${file}`,
    `发件人：${h('from')}`,
    `收件人：${h('to')}`,
    ...(part.headers.has('cc') ? [`抄送：${h('cc')}`] : []),
    `主题：${h('subject')}`,
    `时间：${date ? `${formatLocal(new Date(date), tz)}（${tz}）` : '（无）'}`,
    '',
    plainText(part).trimEnd(),
  ].join('\n');
}

export function mailCommand(args: string[], config: Config, io: Io): number {
  if (args[0] !== 'show') throw new CliError('用法: xiansuo mail show [FILE…|--last N]');
  const { values, positionals } = parseArgs({ args: args.slice(1), strict: true, allowPositionals: true, options: { last: { type: 'string' } } });
  let files = positionals.map((f) => resolve(f));
  if (!files.length) {
    const last = values.last === undefined ? 1 : Number(values.last);
    if (!Number.isInteger(last) || last < 1) throw new CliError(`--last 应为正整数，收到 “${values.last}”`);
    const dir = resolve(config.env.XIANSUO_MAIL_DIR);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.eml'));
    } catch {
      throw new CliError(`邮件目录 ${dir}（XIANSUO_MAIL_DIR）不存在：还没有写出过邮件${config.env.SMTP_URL ? '；已设置 SMTP_URL，邮件发往邮件服务器而不是文件' : ''}`);
    }
    files = names.map((n) => join(dir, n)).sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs || a.localeCompare(b)).slice(-last);
    if (!files.length) throw new CliError(`邮件目录 ${dir} 中没有 .eml 文件`);
  }
  files.forEach((f, i) => {
    try {
      if (i) io.out(`\n${'─'.repeat(40)}\n`);
      io.out(readEml(f, config.tz));
    } catch (err) {
      throw new CliError(`无法读取 ${f}：${(err as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (err as Error).message}`);
    }
  });
  return 0;
}
