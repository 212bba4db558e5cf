/**
 * The channels a region set up: an admin gives each its settings and
 * credentials; the credentials are sealed before they are stored and never
 * answered back (a masked mark says one is set). The sender asks here for a
 * ready Channel, built once and rebuilt when its settings change.
 */
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { CHANNEL_KINDS, createChannel, maskConfig, parseChannelConfig, restoreMaskedSecrets, secretFields, TelegramChannel, type Channel, type ChannelKind } from './channels/index.ts';
import type { ChannelRow, NotificationsRepository } from './notifications.repository.ts';
import type { ChannelView } from './notifications.contract.ts';
import type { SecretBox } from './secrets.ts';

/**
 * Messages a second per kind unless an admin sets the provider's own limit:
 * with room under Telegram's 30/s and WhatsApp Cloud's 80/s, and modest for
 * SMTP relays and SMS gateways, whose contracts vary.
 */
export const DEFAULT_PACE: Record<ChannelKind, number> = { email: 10, telegram: 25, whatsapp: 50, sms: 10, webhook: 20 };

export type { ChannelView } from './notifications.contract.ts';

export class ChannelsService {
  private readonly repo: NotificationsRepository;
  private readonly secrets: SecretBox;
  private readonly clock: Clock;
  private readonly publicUrl: string;
  /** built channels by region and kind, with the updated_at they were built from */
  private readonly built = new Map<string, { updatedAt: number; channel: Channel | null }>();
  constructor(repo: NotificationsRepository, secrets: SecretBox, clock: Clock, publicUrl: string) {
    this.repo = repo;
    this.secrets = secrets;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  async list(p: Principal): Promise<ChannelView[]> {
    requireRole(p, 'admin');
    const rows = await this.repo.channels(p.regionId);
    return CHANNEL_KINDS.map((kind) => this.view(p.regionId, kind, rows.find((r) => r.kind === kind)));
  }

  /**
   * Sets a channel's settings. A credential left out, null, or sent back as the
   * mask keeps the one stored, so an admin can change the sender name without
   * typing the bot token again.
   */
  async put(p: Principal, kind: ChannelKind, input: { enabled: boolean; config: Record<string, unknown>; messagesPerSecond?: number | null | undefined }): Promise<ChannelView> {
    requireRole(p, 'admin');
    const stored = await this.repo.channel(p.regionId, kind);
    const previous = stored ? this.config(stored) : {};
    const incoming: Record<string, unknown> = { ...input.config };
    // A credential left out or null keeps the stored one, as the mask sent back does.
    for (const field of secretFields(kind, { ...previous, ...incoming })) if (incoming[field] === undefined || incoming[field] === null) delete incoming[field];
    // A copy as a plain record: each kind's config type names its fields, the split below reads them by name.
    const config: Record<string, unknown> = { ...parseChannelConfig(kind, restoreMaskedSecrets(kind, { ...pickSecrets(kind, previous), ...incoming }, previous)) };
    const secret = new Set(secretFields(kind, config));
    const settings = Object.fromEntries(Object.entries(config).filter(([k]) => !secret.has(k)));
    const secrets = Object.fromEntries(Object.entries(config).filter(([k]) => secret.has(k)));
    const row: ChannelRow = {
      region_id: p.regionId,
      kind,
      enabled: input.enabled ? 1 : 0,
      settings: JSON.stringify(settings),
      secrets: this.secrets.seal(JSON.stringify(secrets)),
      messages_per_second: input.messagesPerSecond === undefined ? (stored?.messages_per_second ?? null) : input.messagesPerSecond,
      updated_by: p.userId,
      updated_at: Math.max(this.clock.now(), (stored?.updated_at ?? 0) + 1),
    };
    await this.repo.putChannel(row);
    return this.view(p.regionId, kind, row);
  }

  /** A ready channel, or null when the region has not set it up or turned it off. */
  async instance(regionId: string, kind: ChannelKind): Promise<Channel | null> {
    const row = await this.repo.channel(regionId, kind);
    const key = `${regionId}:${kind}`;
    const cached = this.built.get(key);
    if (!row || row.enabled !== 1) return null;
    if (cached && cached.updatedAt === Number(row.updated_at)) return cached.channel;
    await cached?.channel?.close?.();
    const channel = createChannel(kind, this.config(row));
    this.built.set(key, { updatedAt: Number(row.updated_at), channel });
    return channel;
  }

  /** Settings of a channel as the adapters need them (Telegram's bot name for a link, say); null when not set up. */
  async settings(regionId: string, kind: ChannelKind): Promise<Record<string, unknown> | null> {
    const row = await this.repo.channel(regionId, kind);
    return row && row.enabled === 1 ? this.config(row) : null;
  }

  /** Messages a second the region's provider of this kind takes. */
  async pace(regionId: string, kind: ChannelKind): Promise<number> {
    return (await this.repo.channel(regionId, kind))?.messages_per_second ?? DEFAULT_PACE[kind];
  }

  /** How many messages of a kind one sender round may take: a second's worth at the highest pace any region set. */
  async roundSize(kind: ChannelKind): Promise<number> {
    return Math.max(1, Math.ceil((await this.repo.highestPace(kind)) ?? DEFAULT_PACE[kind]));
  }

  /** The Telegram channel of a region, for answering a pressed button or a chat; null when not set up. */
  async telegram(regionId: string): Promise<TelegramChannel | null> {
    const channel = await this.instance(regionId, 'telegram');
    return channel instanceof TelegramChannel ? channel : null;
  }

  async close(): Promise<void> {
    for (const { channel } of this.built.values()) await channel?.close?.();
    this.built.clear();
  }

  private config(row: ChannelRow): Record<string, unknown> {
    let secrets: Record<string, unknown> = {};
    try {
      secrets = JSON.parse(this.secrets.open(row.secrets)) as Record<string, unknown>;
    } catch {
      throw new AppError('INTERNAL', `the ${row.kind} credentials cannot be read: SECRETS_KEY (or DATA_DIR/secrets.key) is not the one they were stored with`);
    }
    return { ...(JSON.parse(row.settings) as Record<string, unknown>), ...secrets };
  }

  private view(regionId: string, kind: ChannelKind, row: ChannelRow | undefined): ChannelView {
    const callbackUrl = kind === 'telegram' || kind === 'whatsapp' ? `${this.publicUrl}/api/v1/notifications/callbacks/${kind}/${regionId}` : null;
    if (!row) return { kind, enabled: false, configured: false, config: {}, updatedAt: null, messagesPerSecond: DEFAULT_PACE[kind], callbackUrl };
    let config: Record<string, unknown>;
    try {
      config = maskConfig(kind, this.config(row));
    } catch {
      // Unreadable with this key: the settings without the credentials, which show as not set.
      config = maskConfig(kind, JSON.parse(row.settings) as Record<string, unknown>);
    }
    return { kind, enabled: row.enabled === 1, configured: true, config, updatedAt: Number(row.updated_at), messagesPerSecond: row.messages_per_second ?? DEFAULT_PACE[kind], callbackUrl };
  }

}

/** The stored credentials of a kind, so that an edit without them keeps them. */
function pickSecrets(kind: ChannelKind, config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(secretFields(kind, config).filter((f) => config[f] !== undefined).map((f) => [f, config[f]]));
}
