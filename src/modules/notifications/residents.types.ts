/**
 * The residents' wire types, without imports: one source for the server (its
 * schemas are checked against them) and the web app (type-only).
 */

/** A public warning as the API shows it. */
export interface WarningDto {
  id: string;
  alarmId: string;
  opdId: string | null;
  districtCode: string;
  districtName: string;
  severity: string;
  state: 'draft' | 'discarded' | 'sending' | 'sent';
  titleId: string;
  textId: string;
  titleEn: string;
  textEn: string;
  editedBy: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  /** ms since epoch, UTC */
  approvedAt: number | null;
  discardedBy: string | null;
  discardedAt: number | null;
  queued: number;
  sentAt: number | null;
  createdAt: number;
  updatedAt: number;
  deliveries: Record<string, number>;
}

/** A resident's early-warning subscription as the public API shows it (never its address). */
export interface SubscriptionDto {
  id: string;
  districtCode: string;
  districtName: string;
  channel: 'whatsapp' | 'sms' | 'email';
  state: 'pending' | 'confirmed' | 'unsubscribed';
}
