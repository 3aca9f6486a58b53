// Core vocabulary of xiansuo (see DESIGN.md "Words"). Pure types, no runtime dependencies.

/**
 * A channel code (来源渠道): a webhook source's name (the registry in webhooks/index.ts, whose
 * `Channel` type is the closed union) or one of HAND_CHANNELS (channels.ts). Open here because
 * the domain sits below that registry.
 */
export type Source = string;

export const LEAD_STATUSES = [
  'triage', 'assigned', 'rectifying', 'feedback', 'closed', 'rejected', 'transferred', 'merged',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export type Priority = 'normal' | 'urgent';
export type Transfer = 'discipline' | 'judicial';

/** What every inbound channel is mapped to before de-duplication and routing. */
export interface LeadDraft {
  source: Source;
  externalId: string;
  /** When the reporter made the report (work order created, article published, submission made). */
  reportedAt: string;
  title: string;
  content: string;
  address?: string;
  township?: string;
  /** The source's own category (the hotline's class). */
  category?: string;
  /** 被反映单位 as the reporter said it. */
  subject?: string;
  priority: Priority;
  reporter: Reporter;
  evidence: Evidence[];
  url?: string;
}

export interface Reporter {
  name?: string;
  phone?: string;
  /** The reporter asked for confidentiality: never followed up, never shown unmasked outside the bureau. */
  confidential: boolean;
  supervisorId?: string;
  outlet?: string;
}

export interface Evidence {
  url: string;
  kind?: 'photo' | 'video' | 'document';
}

export type Role = 'admin' | 'bureau' | 'agency' | 'supervisor' | 'viewer';

export interface Actor {
  /** e.g. "webhook:hotline", "token:7", "system:sweep", "cli". */
  id: string;
  role: Role | 'system' | 'source';
  agency?: string;
  supervisorId?: string;
}

/** The clock is always passed in; nothing in the domain reads the time itself. */
export interface Clock {
  now(): Date;
}

export const ROLES: Role[] = ['admin', 'bureau', 'agency', 'supervisor', 'viewer'];
