// Notifications, portable (fetch and Web Crypto only; no node:*, no nodemailer): the mailer port,
// the Chinese templates, group robots and the outbox's retry timing. Imports src/domain only (and
// npm packages). The Node mailers (SMTP, .eml files) are in ./node/, imported by the runtime.

export * from './mail.ts';
export * from './templates.ts';
export * from './robots.ts';
export * from './backoff.ts';
