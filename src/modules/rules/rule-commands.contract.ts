/**
 * The contract of commands rules send to devices: what the API answers about
 * them and what the web app shows on an alarm (*Jalankan perintah: Nyalakan
 * pompa 2? Konfirmasi / Abaikan*). Shared type-only with the web app.
 */
import { Type, type Static } from 'typebox';

/**
 * pending: waits for an operator to confirm or dismiss it; sent: handed to the
 * device's command channel; failed: refused on the way (revoked device, device
 * gone); dismissed: an operator chose not to send it; expired: the alarm
 * cleared before anyone decided.
 */
export const RULE_COMMAND_STATES = ['pending', 'sent', 'failed', 'dismissed', 'expired'] as const;
export type RuleCommandState = (typeof RULE_COMMAND_STATES)[number];
const StateSchema = Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('dismissed'), Type.Literal('expired')]);

export const RuleCommand = Type.Object({
  id: Type.String(),
  alarmId: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.String(),
  deviceId: Type.String(),
  opdId: Type.Union([Type.String(), Type.Null()], { description: "the device's OPD: its operators confirm" }),
  method: Type.String(),
  params: Type.Unknown(),
  label: Type.Object({ id: Type.String(), en: Type.String() }, { description: "the command as the device's profile names it" }),
  state: StateSchema,
  createdAt: Type.Number(),
  decidedAt: Type.Union([Type.Number(), Type.Null()]),
  /** who confirmed or dismissed it (the name at the time); null: the rule sent it itself, or nobody decided yet */
  decidedBy: Type.Union([Type.Object({ userId: Type.String(), name: Type.String() }), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});
export type RuleCommand = Static<typeof RuleCommand>;

export const RuleCommandQuery = Type.Object({
  state: Type.Optional(StateSchema),
  alarmId: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
});
export type RuleCommandQuery = Static<typeof RuleCommandQuery>;

/**
 * A rule action that sends a command: `{"type":"command","deviceId","method",
 * "params"?,"confirm"?,"minSeverity"?}`. The method must be one of the device
 * profile's commands; a command with an input (a level) takes `params` within
 * its range, a button takes its fixed params.
 */
export interface CommandActionConfig {
  type: 'command';
  deviceId: string;
  method: string;
  params: unknown;
  /** true: proposed on the alarm, sent when an operator confirms; false: sent at once */
  confirm: boolean;
  /** set: when the alarm opens at or rises to this level (once per alarm); null: when it opens, at any level */
  minSeverity: string | null;
}
