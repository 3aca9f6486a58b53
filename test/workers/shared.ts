// What the Node side (globalSetup.ts, the config) and the workerd tests share: plain data only.
import type { StreamDecision } from './stream.ts';

/** The service clock of both sides (XIANSUO_CLOCK on the worker). */
export const CLOCK = '2026-03-02T02:00:00.000Z';
export const ADMIN_TOKEN = 'admin-token-for-tests-only-0123456789';
export const MAIL_API_KEY = 're_workerd_test_key';

export interface WebhookCase {
  name: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  node: { status: number; contentType: string | null; body: string };
}

export interface MailRequest {
  idempotencyKey: string;
  body: { from: string; to: string[]; cc?: string[]; subject: string; text: string; html: string; headers: Record<string, string> };
}

declare module 'vitest' {
  export interface ProvidedContext {
    mailPort: number;
    /** The callback receiver's endpoint per source (globalSetup.ts). */
    callbackUrls: { hotline: string; media: string };
    webhookCases: WebhookCase[];
    nodeDedupe: { decisions: StreamDecision[]; precision: number; recall: number };
  }
}
