import type { Transaction } from 'kysely';
import type { Schema } from '../../platform/db/index.ts';
import type { IncidentStatus } from './incidents.contract.ts';

/** A reporter's wish, at filing, to be told about their report on a channel of their own. */
export interface ReporterNotify {
  channel: 'whatsapp' | 'sms' | 'email';
  /** the phone number or email address as given; the module that sends checks and normalises it */
  address: string;
  /** the language the report was filed in */
  language: 'id' | 'en';
}

/** A change of an incident another module may act on, with its region and ticket. */
export type IncidentChange = { regionId: string; incidentId: string; ticket: string; at: number } & (
  | { kind: 'filed'; notify: ReporterNotify }
  | { kind: 'status'; from: IncidentStatus; to: IncidentStatus; text: string | null }
  | { kind: 'reporter_erased' }
);

/**
 * Work another module does inside the same transaction as an incident's change
 * (a message to the reporter in the outbox). Throwing rolls the change back.
 * Filing calls it only for reports whose reporter asked to be told.
 */
export type IncidentChangeHook = (tx: Transaction<Schema>, change: IncidentChange) => Promise<void>;
