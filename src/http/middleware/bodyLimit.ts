// Request bodies are limited while they are read, before anything parses them and before any
// role check: a declared Content-Length over the limit is refused at once, a chunked body is
// counted as it arrives and refused the moment it passes the limit (hono/body-limit).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { problem } from '../problem.ts';

export const DEFAULT_API_BODY_LIMIT = 1024 * 1024;

/** How a limit reads to a person: 1 MiB, 256 KiB, 1000 字节. */
export function sizeText(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} 字节`;
}

/** 413 problem+json for bodies over `maxBytes`. */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => problem(c, 413, 'payload-too-large', '请求体过大', `请求体不能超过 ${sizeText(maxBytes)}`),
  });
}
