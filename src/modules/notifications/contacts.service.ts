/**
 * Each person's ways of being reached — phone for WhatsApp or SMS, email,
 * Telegram — in the order they chose, each proven theirs by a code before
 * anything is sent to it; and their language and quiet hours.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { hashToken, newId } from '../../core/ids.ts';
import type { Principal } from '../identity/index.ts';
import type { ChannelKind } from './channels/channel.ts';
import type { ChannelsService } from './channels.service.ts';
import type { ContactRow, NotificationsRepository } from './notifications.repository.ts';
import type { Outbox } from './outbox.ts';
import { normalizeMobile } from './phone.ts';
import type { Contact, ContactChannel, NotificationSettings } from './notifications.contract.ts';
import type { Language } from './templates.ts';

export type { Contact, ContactChannel, NotificationSettings } from './notifications.contract.ts';

export const CONTACT_CHANNELS: readonly ContactChannel[] = ['whatsapp', 'telegram', 'sms', 'email'];

const CODE_MINUTES = 15;
const MAX_CODE_ATTEMPTS = 5;



export class ContactsService {
  private readonly repo: NotificationsRepository;
  private readonly outbox: Outbox;
  private readonly channels: ChannelsService;
  private readonly clock: Clock;
  private readonly onQueued: () => void;
  private readonly regionZone: (regionId: string) => Promise<string>;
  constructor(repo: NotificationsRepository, outbox: Outbox, channels: ChannelsService, clock: Clock, regionZone: (regionId: string) => Promise<string>, onQueued: () => void) {
    this.repo = repo;
    this.outbox = outbox;
    this.channels = channels;
    this.clock = clock;
    this.regionZone = regionZone;
    this.onQueued = onQueued;
  }

  async list(p: Principal): Promise<Contact[]> {
    const rows = await this.repo.contactsOf(p.userId);
    return Promise.all(rows.map((r) => this.view(r, null)));
  }

  /**
   * Adds (or replaces) the person's contact on a channel and sends a code to it;
   * for Telegram it answers the link to open instead. Nothing else reaches an
   * address before it is verified.
   */
  async add(p: Principal, input: { channel: ContactChannel; address?: string | undefined }): Promise<Contact> {
    if (!CONTACT_CHANNELS.includes(input.channel)) throw new AppError('VALIDATION_FAILED', `channel must be one of ${CONTACT_CHANNELS.join(', ')}`);
    const address = input.channel === 'telegram' ? null : this.address(input.channel, input.address);
    const now = this.clock.now();
    const existing = (await this.repo.contactsOf(p.userId)).find((c) => c.channel === input.channel);
    const { code, hash } = input.channel === 'telegram' ? linkCode() : digitCode(p.userId);
    const patch = { address, verified_at: null, code_hash: hash, code_expires_at: now + (input.channel === 'telegram' ? 24 * 60 : CODE_MINUTES) * 60_000, code_attempts: 0, updated_at: now };
    let row: ContactRow;
    if (existing) {
      await this.repo.updateContact(existing.id, patch);
      row = { ...existing, ...patch };
    } else {
      const rank = (await this.repo.contactsOf(p.userId)).reduce((max, c) => Math.max(max, c.rank), 0) + 1;
      row = { id: newId(), region_id: p.regionId, user_id: p.userId, channel: input.channel, rank, created_at: now, ...patch };
      await this.repo.insertContact(row);
    }
    if (input.channel !== 'telegram') await this.sendCode(p, row, code);
    return this.view(row, input.channel === 'telegram' ? code : null);
  }

  /** Sends a new code (the old one stops working). */
  async resend(p: Principal, id: string): Promise<Contact> {
    const row = await this.own(p, id);
    return this.add(p, { channel: row.channel as ContactChannel, address: row.address ?? undefined });
  }

  async verify(p: Principal, id: string, code: string): Promise<Contact> {
    const row = await this.own(p, id);
    const now = this.clock.now();
    if (row.verified_at !== null) return this.view(row, null);
    // Each refusal says why in both languages (details.reason): the person typing the code reads it.
    if (row.channel === 'telegram') throw new AppError('VALIDATION_FAILED', 'a Telegram account is linked by opening its link and pressing Start, not by a code', { reason: { id: 'Akun Telegram ditautkan dengan membuka tautannya lalu menekan Start, bukan dengan kode.', en: 'A Telegram account is linked by opening its link and pressing Start, not by a code.' } });
    if (row.code_hash === null || row.code_expires_at === null || row.code_expires_at < now) throw new AppError('VALIDATION_FAILED', 'the code has expired; ask for a new one', { reason: { id: 'Kode sudah kedaluwarsa; minta kode baru.', en: 'The code has expired; ask for a new one.' } });
    if (row.code_attempts >= MAX_CODE_ATTEMPTS) throw new AppError('RATE_LIMITED', 'too many wrong codes; ask for a new one', { reason: { id: 'Terlalu banyak kode salah; minta kode baru.', en: 'Too many wrong codes; ask for a new one.' } });
    const given = Buffer.from(digitHash(p.userId, code.trim()));
    const expected = Buffer.from(row.code_hash);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await this.repo.updateContact(row.id, { code_attempts: row.code_attempts + 1, updated_at: now });
      const left = MAX_CODE_ATTEMPTS - row.code_attempts - 1;
      throw new AppError('VALIDATION_FAILED', `the code is not right (${left} tries left)`, { reason: { id: `Kode salah (sisa ${left} kali coba).`, en: `The code is not right (${left} tries left).` } });
    }
    const patch = { verified_at: now, code_hash: null, code_expires_at: null, code_attempts: 0, updated_at: now };
    await this.repo.updateContact(row.id, patch);
    return this.view({ ...row, ...patch }, null);
  }

  /** Telegram: someone opened t.me/<bot>?start=<code> from the chat `chatId`. Returns the person's id, or null for an unknown or old code. */
  async linkTelegram(code: string, chatId: string): Promise<string | null> {
    const row = await this.repo.contactByCode(hashToken(`tg:${code}`));
    const now = this.clock.now();
    if (!row || row.channel !== 'telegram' || row.code_expires_at === null || row.code_expires_at < now) return null;
    await this.repo.updateContact(row.id, { address: chatId, verified_at: now, code_hash: null, code_expires_at: null, updated_at: now });
    return row.user_id;
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.own(p, id);
    await this.repo.deleteContact(id);
  }

  /** The order in which channels are tried: every contact's id, first first. */
  async reorder(p: Principal, ids: string[]): Promise<Contact[]> {
    const rows = await this.repo.contactsOf(p.userId);
    if (ids.length !== rows.length || new Set(ids).size !== ids.length || !ids.every((id) => rows.some((r) => r.id === id))) {
      throw new AppError('VALIDATION_FAILED', "give every one of your contacts' ids once, in the order to try them");
    }
    await this.repo.reorderContacts(p.userId, ids, this.clock.now());
    return this.list(p);
  }

  async settings(p: Principal): Promise<NotificationSettings> {
    const [row] = await this.repo.settingsOf(this.repo.db, [p.userId]);
    return { language: row?.language === 'en' ? 'en' : 'id', quietStart: clockText(row?.quiet_start ?? null), quietEnd: clockText(row?.quiet_end ?? null) };
  }

  async putSettings(p: Principal, input: NotificationSettings): Promise<NotificationSettings> {
    const start = clockMinutes(input.quietStart, 'quietStart');
    const end = clockMinutes(input.quietEnd, 'quietEnd');
    if ((start === null) !== (end === null)) throw new AppError('VALIDATION_FAILED', 'quietStart and quietEnd go together: set both or neither');
    if (start !== null && start === end) throw new AppError('VALIDATION_FAILED', 'quiet hours must not start and end at the same time');
    await this.repo.putSettings({ user_id: p.userId, region_id: p.regionId, language: input.language, quiet_start: start, quiet_end: end, updated_at: this.clock.now() });
    return this.settings(p);
  }

  private address(channel: ContactChannel, input: string | undefined): string {
    const raw = input?.trim() ?? '';
    if (raw === '') throw new AppError('VALIDATION_FAILED', `address is required for ${channel}`);
    if (channel === 'email') {
      if (raw.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw)) throw new AppError('VALIDATION_FAILED', `"${raw.slice(0, 60)}" is not an email address`);
      return raw.toLowerCase();
    }
    return normalizeMobile(raw);
  }

  private async sendCode(p: Principal, row: ContactRow, code: string): Promise<void> {
    const [setting] = await this.repo.settingsOf(this.repo.db, [p.userId]);
    const language: Language = setting?.language === 'en' ? 'en' : 'id';
    const timeZone = await this.regionZone(p.regionId);
    await this.repo.db.transaction().execute((tx) =>
      this.outbox.toAddress(tx, { regionId: p.regionId, event: 'contact.verify', placeholders: () => ({ code, minutes: String(CODE_MINUTES) }), timeZone, severityRank: 3 }, { channel: row.channel as ChannelKind, address: row.address!, language }, this.clock.now()),
    );
    this.onQueued();
  }

  private async own(p: Principal, id: string): Promise<ContactRow> {
    const row = await this.repo.contact(id);
    if (!row || row.user_id !== p.userId) throw new AppError('NOT_FOUND', `no contact ${id} of yours`);
    return row;
  }

  private async view(row: ContactRow, telegramCode: string | null): Promise<Contact> {
    let telegramLink: string | null = null;
    if (row.channel === 'telegram' && telegramCode !== null) {
      const settings = await this.channels.settings(row.region_id, 'telegram');
      const bot = typeof settings?.botUsername === 'string' ? settings.botUsername.replace(/^@/, '') : null;
      telegramLink = bot ? `https://t.me/${bot}?start=${telegramCode}` : null;
    }
    return {
      id: row.id,
      channel: row.channel as ContactChannel,
      address: row.address,
      rank: row.rank,
      verified: row.verified_at !== null,
      verifiedAt: row.verified_at,
      telegramLink,
      codeExpiresAt: row.verified_at === null ? row.code_expires_at : null,
    };
  }
}

function digitHash(userId: string, code: string): string {
  return hashToken(`code:${userId}:${code}`);
}

function digitCode(userId: string): { code: string; hash: string } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return { code, hash: digitHash(userId, code) };
}

/** Telegram's start parameter: letters, digits, _ and -, at most 64. */
function linkCode(): { code: string; hash: string } {
  const code = randomBytes(16).toString('base64url');
  return { code, hash: hashToken(`tg:${code}`) };
}

function clockMinutes(value: string | null, field: string): number | null {
  if (value === null) return null;
  const m = /^([01]\d|2[0-3])[:.]([0-5]\d)$/.exec(value.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `${field} must be a time of day like 22:00`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function clockText(minutes: number | null): string | null {
  return minutes === null ? null : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
