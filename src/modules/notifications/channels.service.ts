/**
 * The channels a region set up: an admin gives each its settings and
 * credentials; the credentials are sealed before they are stored and never
 * answered back (a masked mark says one is set). The sender asks here for a
 * ready Channel, built once and rebuilt when its settings change.
 */
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import { CHANNEL_KINDS, type Channel, type ChannelKind } from './channels/channel.ts';
import type { ChannelRow, NotificationsRepository } from './notifications.repository.ts';
import type { SecretBox } from './secrets.ts';

/** What the channel adapters offer the service: their checks, their secret fields, and a factory. */
export interface ChannelCatalog {
  /** Checks a kind's settings as an admin gave them (throws VALIDATION_FAILED saying what is wrong); returns them cleaned. */
  check(kind: ChannelKind, config: Record<string, unknown>): Record<string, unknown>;
  /** the fields of a kind that are credentials */
  secretFields(kind: ChannelKind): readonly string[];
  create(kind: ChannelKind, config: Record<string, unknown>): Channel;
}

export interface ChannelView {
  kind: ChannelKind;
  enabled: boolean;
  configured: boolean;
  /** the settings; a credential shows as "••••" when set, null when not */
  config: Record<string, unknown>;
  updatedAt: number | null;
}

const MASK = '••••';

export class ChannelsService {
  private readonly repo: NotificationsRepository;
  private readonly secrets: SecretBox;
  private readonly catalog: ChannelCatalog;
  private readonly clock: Clock;
  /** built channels by region and kind, with the updated_at they were built from */
  private readonly built = new Map<string, { updatedAt: number; channel: Channel | null }>();
  constructor(repo: NotificationsRepository, secrets: SecretBox, catalog: ChannelCatalog, clock: Clock) {
    this.repo = repo;
    this.secrets = secrets;
    this.catalog = catalog;
    this.clock = clock;
  }

  async list(p: Principal): Promise<ChannelView[]> {
    requireRole(p, 'admin');
    const rows = await this.repo.channels(p.regionId);
    return CHANNEL_KINDS.map((kind) => this.view(kind, rows.find((r) => r.kind === kind)));
  }

  /**
   * Sets a channel's settings. A credential left out, null, or sent back as the
   * mask keeps the one stored, so an admin can change the sender name without
   * typing the bot token again.
   */
  async put(p: Principal, kind: ChannelKind, input: { enabled: boolean; config: Record<string, unknown> }): Promise<ChannelView> {
    requireRole(p, 'admin');
    const stored = await this.repo.channel(p.regionId, kind);
    const previous = stored ? this.config(stored) : {};
    const merged: Record<string, unknown> = { ...input.config };
    for (const field of this.catalog.secretFields(kind)) {
      if (merged[field] === undefined || merged[field] === null || merged[field] === MASK) {
        if (previous[field] !== undefined) merged[field] = previous[field];
        else delete merged[field];
      }
    }
    const config = this.catalog.check(kind, merged);
    const secretFields = new Set(this.catalog.secretFields(kind));
    const settings = Object.fromEntries(Object.entries(config).filter(([k]) => !secretFields.has(k)));
    const secrets = Object.fromEntries(Object.entries(config).filter(([k]) => secretFields.has(k)));
    const row: ChannelRow = {
      region_id: p.regionId,
      kind,
      enabled: input.enabled ? 1 : 0,
      settings: JSON.stringify(settings),
      secrets: this.secrets.seal(JSON.stringify(secrets)),
      updated_by: p.userId,
      updated_at: Math.max(this.clock.now(), (stored?.updated_at ?? 0) + 1),
    };
    await this.repo.putChannel(row);
    return this.view(kind, row);
  }

  /** A ready channel, or null when the region has not set it up or turned it off. */
  async instance(regionId: string, kind: ChannelKind): Promise<Channel | null> {
    const row = await this.repo.channel(regionId, kind);
    const key = `${regionId}:${kind}`;
    const cached = this.built.get(key);
    if (!row || row.enabled !== 1) return null;
    if (cached && cached.updatedAt === Number(row.updated_at)) return cached.channel;
    await cached?.channel?.close?.();
    const channel = this.catalog.create(kind, this.config(row));
    this.built.set(key, { updatedAt: Number(row.updated_at), channel });
    return channel;
  }

  /** Settings of a channel as the adapters need them (Telegram's bot name for a link, say); null when not set up. */
  async settings(regionId: string, kind: ChannelKind): Promise<Record<string, unknown> | null> {
    const row = await this.repo.channel(regionId, kind);
    return row && row.enabled === 1 ? this.config(row) : null;
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

  private view(kind: ChannelKind, row: ChannelRow | undefined): ChannelView {
    if (!row) return { kind, enabled: false, configured: false, config: {}, updatedAt: null };
    const config: Record<string, unknown> = JSON.parse(row.settings) as Record<string, unknown>;
    for (const field of this.catalog.secretFields(kind)) config[field] = null;
    try {
      for (const field of Object.keys(JSON.parse(this.secrets.open(row.secrets)) as Record<string, unknown>)) config[field] = MASK;
    } catch {
      // unreadable with this key: shown as not set, and the sender says why
    }
    return { kind, enabled: row.enabled === 1, configured: true, config, updatedAt: Number(row.updated_at) };
  }
}
