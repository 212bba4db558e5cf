/**
 * Residents' early-warning subscriptions, double opt-in: a resident gives a
 * kecamatan, a channel and an address; a code (and a link carrying it) goes to
 * that address; only a confirmed subscription gets warnings. Every warning
 * carries the subscription's unsubscribe link, which ends it at once (what is
 * still queued is cancelled) and for good (only a new double opt-in restarts it).
 * The same address on the same kecamatan is one subscription, never two.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { hashToken, newId } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { eventPayload, type Outbox } from './outbox.ts';
import { residentAddress, type ResidentChannel } from './residents.address.ts';
import type { SubscriptionDto } from './residents.contract.ts';
import type { ResidentsRepository, SubscriptionRow } from './residents.repository.ts';
import type { SecretBox } from './secrets.ts';
import type { Language } from './templates.ts';

/** minutes a confirmation code may be typed */
export const CONFIRM_MINUTES = 30;
const MAX_ATTEMPTS = 5;
/** subscriptions of one address waiting for their code at once; more are refused */
export const MAX_PENDING = 3;

/** The kecamatan of a region (identity answers). */
export interface DistrictDirectory {
  listDistricts(regionId: string): Promise<{ code: string; name: string }[]>;
}

/** A subscription as the public API shows it (never its address). */
export type SubscriptionView = SubscriptionDto;

export class SubscriptionsService {
  private readonly repo: ResidentsRepository;
  private readonly outbox: Outbox;
  private readonly secrets: SecretBox;
  private readonly districts: DistrictDirectory;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly publicUrl: string;
  private readonly kick: () => void;
  constructor(repo: ResidentsRepository, outbox: Outbox, secrets: SecretBox, districts: DistrictDirectory, bus: EventBus, clock: Clock, publicUrl: string, kick: () => void) {
    this.repo = repo;
    this.outbox = outbox;
    this.secrets = secrets;
    this.districts = districts;
    this.bus = bus;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.kick = kick;
  }

  async listDistricts(regionId: string): Promise<{ code: string; name: string }[]> {
    return (await this.districts.listDistricts(regionId)).map((d) => ({ code: d.code, name: d.name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Starts (or restarts) the double opt-in: a fresh code to the address. A
   * subscription confirmed already stays as it is and nothing is sent.
   */
  async subscribe(regionId: string, input: { districtCode: string; channel: ResidentChannel; address: string; language: Language }): Promise<SubscriptionView> {
    try {
      return await this.subscribeOnce(regionId, input);
    } catch (error) {
      // Two first requests for the same address and kecamatan at once: the one that lost finds the other's row.
      if (!/unique|duplicate/i.test(error instanceof Error ? error.message : '')) throw error;
      return this.subscribeOnce(regionId, input);
    }
  }

  private async subscribeOnce(regionId: string, input: { districtCode: string; channel: ResidentChannel; address: string; language: Language }): Promise<SubscriptionView> {
    const district = (await this.districts.listDistricts(regionId)).find((d) => d.code === input.districtCode);
    if (!district) throw new AppError('VALIDATION_FAILED', `districtCode ${input.districtCode.slice(0, 20)} is not a kecamatan of this region`);
    const address = residentAddress(input.channel, input.address);
    const now = this.clock.now();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const view = await this.repo.db.transaction().execute(async (tx) => {
      const existing = await this.repo.subscriptionOf(tx, regionId, district.code, input.channel, address);
      if (existing?.state === 'confirmed') return this.view(existing, district.name);
      if ((await this.repo.pendingOf(tx, input.channel, address, now, existing?.id ?? null)) >= MAX_PENDING) {
        throw new AppError('TOO_MANY_PENDING', `this address has ${MAX_PENDING} subscriptions waiting for their confirmation code; confirm them, or try again in ${CONFIRM_MINUTES} minutes`);
      }
      const id = existing?.id ?? newId();
      const patch = { language: input.language, state: 'pending' as const, code_hash: codeHash(id, code), code_expires_at: now + CONFIRM_MINUTES * 60_000, code_attempts: 0, updated_at: now };
      let row: SubscriptionRow;
      if (existing) {
        await this.repo.updateSubscription(tx, id, patch);
        row = { ...existing, ...patch };
      } else {
        row = { id, region_id: regionId, district_code: district.code, channel: input.channel, address, unsubscribe_hash: hashToken(this.unsubscribeToken(id)), confirmed_at: null, unsubscribed_at: null, created_at: now, ...patch };
        await this.repo.insertSubscription(tx, row);
      }
      await this.outbox.toAddress(
        tx,
        {
          regionId,
          event: 'subscription.confirm',
          placeholders: () => ({ code, where: `Kec. ${district.name}`, link: `${this.publicUrl}/lapor#/peringatan/konfirmasi/${id}/${code}` }),
        },
        { channel: input.channel, address, language: input.language },
        now,
      );
      return this.view(row, district.name);
    });
    if (view.state === 'pending') this.kick();
    return view;
  }

  /** The code that reached the address confirms the subscription; confirming twice is harmless. */
  async confirm(regionId: string, id: string, code: string): Promise<SubscriptionView> {
    const row = await this.repo.subscription(this.repo.db, id);
    if (!row || row.region_id !== regionId) throw new AppError('SUBSCRIPTION_NOT_FOUND', 'no such subscription');
    const name = await this.districtName(regionId, row.district_code);
    if (row.state === 'confirmed') return this.view(row, name);
    if (row.state === 'unsubscribed' || row.code_hash === null) throw new AppError('SUBSCRIPTION_CODE_INVALID', 'this subscription was ended; subscribe again for a new code');
    const now = this.clock.now();
    if (row.code_expires_at === null || row.code_expires_at < now) throw new AppError('SUBSCRIPTION_CODE_INVALID', 'the code has expired; subscribe again for a new one');
    if (row.code_attempts >= MAX_ATTEMPTS) throw new AppError('SUBSCRIPTION_CODE_INVALID', 'too many wrong codes; subscribe again for a new one');
    const given = Buffer.from(codeHash(id, code.trim()));
    const expected = Buffer.from(row.code_hash);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      await this.repo.updateSubscription(this.repo.db, id, { code_attempts: row.code_attempts + 1, updated_at: now });
      throw new AppError('SUBSCRIPTION_CODE_INVALID', `the code is not right (${MAX_ATTEMPTS - row.code_attempts - 1} tries left)`);
    }
    const patch = { state: 'confirmed' as const, confirmed_at: now, code_hash: null, code_expires_at: null, code_attempts: 0, updated_at: now };
    await this.repo.updateSubscription(this.repo.db, id, patch);
    return this.view({ ...row, ...patch }, name);
  }

  /** Ends the subscription whose unsubscribe link this is, at once: warnings still queued for it are cancelled. */
  async unsubscribe(token: string): Promise<SubscriptionView> {
    const row = token.length <= 64 ? await this.repo.subscriptionByUnsubscribe(hashToken(token)) : undefined;
    if (!row) throw new AppError('LINK_NOT_FOUND', 'this unsubscribe link is not known');
    const name = await this.districtName(row.region_id, row.district_code);
    if (row.state === 'unsubscribed') return this.view(row, name);
    const now = this.clock.now();
    const patch = { state: 'unsubscribed' as const, unsubscribed_at: now, code_hash: null, code_expires_at: null, updated_at: now };
    const cancelled = await this.repo.db.transaction().execute(async (tx) => {
      await this.repo.updateSubscription(tx, row.id, patch);
      return this.repo.cancelWarningsTo(tx, row.region_id, row.district_code, row.channel, row.address, now);
    });
    for (const c of cancelled) this.bus.publish('notification.updated', { regionId: c.region_id, notification: eventPayload(c) });
    return this.view({ ...row, ...patch }, name);
  }

  /** What the unsubscribe page shows before its button. */
  async peekUnsubscribe(token: string): Promise<SubscriptionView> {
    const row = token.length <= 64 ? await this.repo.subscriptionByUnsubscribe(hashToken(token)) : undefined;
    if (!row) throw new AppError('LINK_NOT_FOUND', 'this unsubscribe link is not known');
    return this.view(row, await this.districtName(row.region_id, row.district_code));
  }

  /** The subscription's unsubscribe token: derived from its id with the platform's key; only the hash is kept. */
  unsubscribeToken(subscriptionId: string): string {
    return this.secrets.token('warning-unsubscribe', subscriptionId);
  }

  unsubscribeLink(subscriptionId: string): string {
    return `${this.publicUrl}/lapor#/peringatan/berhenti/${this.unsubscribeToken(subscriptionId)}`;
  }

  private async districtName(regionId: string, code: string): Promise<string> {
    return (await this.districts.listDistricts(regionId)).find((d) => d.code === code)?.name ?? code;
  }

  private view(row: SubscriptionRow, districtName: string): SubscriptionView {
    return { id: row.id, districtCode: row.district_code, districtName, channel: row.channel as ResidentChannel, state: row.state };
  }
}

/** A code is bound to its subscription: the same six digits prove nothing for another one. */
function codeHash(subscriptionId: string, code: string): string {
  return hashToken(`subscription:${subscriptionId}:${code}`);
}
