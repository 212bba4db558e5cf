/** An admin's test of a channel: one message through the outbox, so its fate shows in the log like any other. */
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import type { ChannelKind } from './channels/channel.ts';
import { formatTime } from './format.ts';
import { notificationView, type NotificationView } from './log.service.ts';
import type { NotificationsRepository } from './notifications.repository.ts';
import type { Outbox } from './outbox.ts';
import { normalizeMobile } from './phone.ts';

export class ChannelTester {
  private readonly repo: NotificationsRepository;
  private readonly outbox: Outbox;
  private readonly clock: Clock;
  private readonly regionZone: (regionId: string) => Promise<string>;
  private readonly onQueued: () => void;
  constructor(repo: NotificationsRepository, outbox: Outbox, clock: Clock, regionZone: (regionId: string) => Promise<string>, onQueued: () => void) {
    this.repo = repo;
    this.outbox = outbox;
    this.clock = clock;
    this.regionZone = regionZone;
    this.onQueued = onQueued;
  }

  async test(p: Principal, kind: ChannelKind, to: string): Promise<NotificationView> {
    requireRole(p, 'admin');
    const address = testAddress(kind, to.trim());
    const timeZone = await this.regionZone(p.regionId);
    const now = this.clock.now();
    const row = await this.repo.db.transaction().execute((tx) =>
      this.outbox.toAddress(tx, { regionId: p.regionId, event: 'channel.test', timeZone, severityRank: 3, placeholders: (language) => ({ time: formatTime(now, timeZone, language), channel: kind }) }, { channel: kind, address, language: 'id' }, now),
    );
    this.onQueued();
    return notificationView(row, true);
  }
}

function testAddress(kind: ChannelKind, to: string): string {
  switch (kind) {
    case 'whatsapp':
    case 'sms':
      return normalizeMobile(to);
    case 'email':
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to)) throw new AppError('VALIDATION_FAILED', `"${to.slice(0, 60)}" is not an email address`);
      return to;
    case 'telegram':
      if (!/^-?\d{1,20}$/.test(to)) throw new AppError('VALIDATION_FAILED', 'a Telegram chat id is a number (the person sees it after linking)');
      return to;
    case 'webhook':
      if (!/^https?:\/\//.test(to)) throw new AppError('VALIDATION_FAILED', 'a webhook address is an http(s) URL');
      return to;
  }
}
