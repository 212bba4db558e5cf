/**
 * Reporters who asked to be told: their contact is kept (apart, erasable) at
 * filing, and each change of their report's status that matters to them —
 * routed, being handled, resolved, rejected — queues one message in the same
 * transaction as the change, in the language they filed in, with a stop link.
 * A stop ends every further message about that report; an erasure of their
 * data deletes the contact and cancels what still waits.
 */
import type { Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { hashToken } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { IncidentChange, IncidentStatus } from '../incidents/index.ts';
import { eventPayload, type Outbox } from './outbox.ts';
import { residentAddress } from './residents.address.ts';
import type { StopResult } from './residents.contract.ts';
import type { ResidentsRepository } from './residents.repository.ts';
import type { SecretBox } from './secrets.ts';
import type { Language } from './templates.ts';

/** The statuses a reporter hears about, with their names and a sentence, [id, en]. */
const TOLD: Partial<Record<IncidentStatus, { name: [string, string]; text: [string, string] }>> = {
  assigned: { name: ['Diteruskan ke OPD', 'Sent to the agency'], text: ['Laporan Anda sudah diteruskan ke OPD yang berwenang.', 'Your report was passed to the agency in charge.'] },
  in_progress: { name: ['Sedang ditangani', 'Being handled'], text: ['Petugas sedang menangani laporan Anda.', 'Officers are working on your report.'] },
  resolved: {
    name: ['Selesai ditangani', 'Resolved'],
    text: ['Petugas menyatakan masalahnya selesai. Jika belum beres, tanggapi di halaman tiket.', 'The agency says the problem is solved. If it is not fixed, answer on the ticket page.'],
  },
  rejected: { name: ['Ditolak', 'Rejected'], text: ['Laporan Anda tidak dapat ditindaklanjuti.', 'Your report cannot be acted on.'] },
};

export type { StopResult } from './residents.contract.ts';

export class ReporterUpdates {
  private readonly repo: ResidentsRepository;
  private readonly outbox: Outbox;
  private readonly secrets: SecretBox;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly publicUrl: string;
  constructor(repo: ResidentsRepository, outbox: Outbox, secrets: SecretBox, bus: EventBus, clock: Clock, publicUrl: string) {
    this.repo = repo;
    this.outbox = outbox;
    this.secrets = secrets;
    this.bus = bus;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  /** Runs inside the transaction of an incident's change (registered with the incidents module). */
  readonly onIncidentChange = async (tx: Transaction<Schema>, change: IncidentChange): Promise<void> => {
    switch (change.kind) {
      case 'filed': {
        // A number that cannot be a mobile refuses the filing: nothing is half-written.
        const address = residentAddress(change.notify.channel, change.notify.address);
        await this.repo.insertReporterContact(tx, {
          incident_id: change.incidentId,
          region_id: change.regionId,
          ticket: change.ticket,
          channel: change.notify.channel,
          address,
          language: change.notify.language,
          stop_hash: hashToken(this.stopToken(change.incidentId)),
          stopped_at: null,
          created_at: change.at,
        });
        return;
      }
      case 'status':
        return this.tell(tx, change);
      case 'reporter_erased': {
        const now = this.clock.now();
        await this.repo.deleteReporterContact(tx, change.incidentId);
        await this.repo.cancelReporterMessages(tx, change.incidentId, "the reporter's data was erased", now);
        await this.repo.forgetReporterAddress(tx, change.incidentId, now);
        return;
      }
    }
  };

  /** Stops every further message about the report whose stop link this is. */
  async stop(token: string): Promise<StopResult> {
    const contact = token.length <= 64 ? await this.repo.reporterContactByStop(hashToken(token)) : undefined;
    if (!contact) throw new AppError('LINK_NOT_FOUND', 'this stop link is not known (or the reporter’s data was erased)');
    if (contact.stopped_at !== null) return { ticket: contact.ticket, stopped: false };
    const now = this.clock.now();
    const cancelled = await this.repo.db.transaction().execute(async (tx) => {
      await this.repo.stopReporter(tx, contact.incident_id, now);
      return this.repo.cancelReporterMessages(tx, contact.incident_id, 'the reporter asked for no more messages', now);
    });
    for (const row of cancelled) this.bus.publish('notification.updated', { regionId: row.region_id, notification: eventPayload(row) });
    return { ticket: contact.ticket, stopped: true };
  }

  /** What the stop page shows before the button: the ticket, and whether it was stopped. */
  async peek(token: string): Promise<StopResult> {
    const contact = token.length <= 64 ? await this.repo.reporterContactByStop(hashToken(token)) : undefined;
    if (!contact) throw new AppError('LINK_NOT_FOUND', 'this stop link is not known (or the reporter’s data was erased)');
    return { ticket: contact.ticket, stopped: contact.stopped_at !== null };
  }

  private async tell(tx: Transaction<Schema>, change: Extract<IncidentChange, { kind: 'status' }>): Promise<void> {
    const told = TOLD[change.to];
    if (!told) return;
    const contact = await this.repo.reporterContact(tx, change.incidentId);
    if (!contact || contact.stopped_at !== null) return;
    const language: Language = contact.language === 'en' ? 'en' : 'id';
    const i = language === 'id' ? 0 : 1;
    const sentence = change.to === 'rejected' && change.text ? `${language === 'id' ? 'Alasan' : 'Reason'}: ${change.text}` : told.text[i];
    const extra = change.to !== 'rejected' && change.text ? ` ${change.text}` : '';
    await this.outbox.toAddress(
      tx,
      {
        regionId: change.regionId,
        event: 'incident.reporter_update',
        incidentId: change.incidentId,
        placeholders: () => ({
          ticket: change.ticket,
          status: told.name[i],
          text: sentence + extra,
          link: `${this.publicUrl}/lapor#/tiket/${encodeURIComponent(change.ticket)}`,
          stopLink: `${this.publicUrl}/stop/${this.stopToken(change.incidentId)}`,
        }),
      },
      { channel: contact.channel === 'email' ? 'email' : contact.channel === 'sms' ? 'sms' : 'whatsapp', address: contact.address, language },
      this.clock.now(),
    );
  }

  /** The stop link's token: derived from the report with the platform's key; only its hash is kept. */
  private stopToken(incidentId: string): string {
    return this.secrets.token('reporter-stop', incidentId);
  }
}
