// Notifications: the mailer port and its SMTP / .eml implementations, the Chinese templates,
// group robots and the outbox's retry timing. Imports src/domain only (and npm packages).

export * from './mailer.ts';
export * from './templates.ts';
export * from './robots.ts';
export * from './backoff.ts';
