// 来源渠道 (channels). The webhook sources are a registry above the domain (webhooks/index.ts):
// the domain does not know their names, it is handed the list of channels (name + label) where it
// needs labels. The two channels entered at the bureau rather than by webhook are the domain's own.

export interface ChannelInfo {
  /** The code stored with each report: a webhook source's name, or one of HAND_CHANNELS. */
  name: string;
  /** In Chinese, as pages, statistics and routing reasons show it. */
  label: string;
}

/** Entered by hand (a visit, a letter, a phone call), never by webhook. */
export const HAND_CHANNELS = [
  { name: 'bureau', label: '司法局录入' },
  { name: 'public', label: '群众来信来访' },
] as const satisfies readonly ChannelInfo[];

export const HAND_CHANNEL_NAMES = HAND_CHANNELS.map((c) => c.name) as ['bureau', 'public'];

export type ChannelNames = (code: string) => string;

/** A channel's label, or its code when the list does not know it (a report from a removed source). */
export function channelNamer(channels: readonly ChannelInfo[]): ChannelNames {
  const labels = new Map(channels.map((c) => [c.name, c.label]));
  return (code) => labels.get(code) ?? code;
}
