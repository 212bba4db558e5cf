/** The pure constants of the residents' contract (residents.contract.ts re-exports them). No import, so the public page bundles them alone. */

export type ResidentChannel = 'whatsapp' | 'sms' | 'email';
export const RESIDENT_CHANNELS = ['whatsapp', 'sms', 'email'] as const satisfies readonly ResidentChannel[];
/** draft (nothing sent), discarded, sending (approved, being queued and sent), sent (every subscriber queued) */
export const WARNING_STATES = ['draft', 'discarded', 'sending', 'sent'] as const;
