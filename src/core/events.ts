/**
 * Every event the platform emits, named in the past tense. Payloads are plain
 * JSON and carry regionId, so they can cross a process boundary unchanged.
 */
// Type only: the command's wire shape is its module's contract, shared with the web app.
import type { Rpc } from '../modules/rpc/rpc.contract.ts';

export type TelemetryValue = number | string | boolean | Record<string, unknown> | unknown[];

export interface EventMap {
  'telemetry.stored': {
    regionId: string;
    deviceId: string;
    opdId: string | null;
    assetId: string | null;
    deviceType: string;
    assetType: string | null;
    /** points grouped by timestamp (ms since epoch, UTC) */
    points: { ts: number; values: Record<string, TelemetryValue> }[];
  };
  'attributes.updated': {
    regionId: string;
    deviceId: string;
    scope: 'client' | 'shared' | 'server';
    values: Record<string, unknown>;
  };
  /** attributes removed by a person; for shared ones the device is told (`{"deleted":[…]}`) */
  'attributes.deleted': { regionId: string; deviceId: string; scope: 'client' | 'shared' | 'server'; keys: string[] };
  /** A device's token changed or was revoked, or the device was deleted: drop its sessions. */
  'device.credentials.changed': { regionId: string; deviceId: string };
  'device.deleted': { regionId: string; deviceId: string };
  /** name, type, asset or OPD changed */
  'device.updated': { regionId: string; deviceId: string };
  'device.status.changed': { regionId: string; deviceId: string; opdId: string | null; assetId: string | null; online: boolean; at: number };
  'alarm.opened': { regionId: string; alarm: AlarmPayload };
  'alarm.updated': { regionId: string; alarm: AlarmPayload };
  'alarm.acknowledged': { regionId: string; alarm: AlarmPayload };
  'alarm.cleared': { regionId: string; alarm: AlarmPayload };
  /** one alarm per hazard: its level (severity) rose or fell; `alarm.severity` is the new level */
  'alarm.level.changed': { regionId: string; alarm: AlarmPayload; from: string; to: string; rising: boolean };
  /** an OPD's duty roster (shifts or swaps) changed */
  'duty.changed': { regionId: string; opdId: string };
  /** a notification was queued, sent, delivered, read or failed (no address or text in it) */
  'notification.updated': { regionId: string; notification: NotificationEventPayload };
  /** a command a rule sent or proposes changed: proposed, sent, failed, confirmed, dismissed or expired */
  'rule.command.updated': { regionId: string; opdId: string | null; command: RuleCommandEventPayload };
  /** rules of the region were created, changed or deleted: reload them */
  'rules.changed': { regionId: string };
  /** an incident was filed (report, alarm, operator, LAPOR!); the payload never carries the reporter */
  'incident.created': { regionId: string; opdId: string | null; incident: IncidentEventPayload };
  /** status, assignment, severity, an update or a merge */
  'incident.updated': { regionId: string; opdId: string | null; incident: IncidentEventPayload };
  /**
   * Sessions ended: a password changed or was reset, the user was disabled,
   * demoted, moved or deleted, or logged out. Every instance drops them from its
   * cache and closes their live streams at once. Hashes only (SHA-256 of the
   * token), never a token.
   */
  'session.revoked': {
    regionId: string;
    userId: string;
    /** only these sessions; null: every session of the user */
    tokenHashes: string[] | null;
    /** kept: the session that changed its own password */
    exceptTokenHash: string | null;
    reason: SessionEndReason;
  };
  /** a command to a device changed state (queued, sent, delivered, successful, timeout, expired, failed) */
  'rpc.updated': { regionId: string; opdId: string | null; rpc: Rpc };
  /** a change to the master plan (plan, readiness, programs, KPIs): the activity log records it */
  'masterplan.changed': { regionId: string; userId: string | null; entity: string; entityId: string | null; action: string; summary: string; detail?: Record<string, unknown> };
}

export type EventName = keyof EventMap;

export type SessionEndReason = 'logout' | 'password_changed' | 'password_reset' | 'disabled' | 'role_changed' | 'deleted';

/** An alarm as the API shows it. */
export interface AlarmPayload {
  id: string;
  ruleId: string | null;
  deviceId: string | null;
  assetId: string | null;
  opdId: string | null;
  type: string;
  severity: string;
  status: 'active' | 'cleared';
  acknowledged: boolean;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  clearedBy: string | null;
  clearedAt: number | null;
  startedAt: number;
  lastAt: number;
  count: number;
  key: string | null;
  lastValue: unknown;
  /** in Bahasa Indonesia: *Tinggi muka air 4,30 m > 4 m* (the device profile's words) */
  message: string;
  /** the same in English: *Water level 4.30 m > 4 m* */
  messageEn: string;
  /** the condition `lastValue` met, structured so that screens word it in their language and units; null: none (older alarms, offline, between hysteresis thresholds) */
  condition?: AlarmCondition | null;
}

/** A rule condition as an alarm keeps it: gt/gte/lt/lte with value; between/outside with min and max; rate_gt/rate_lt (value per minute); silence (minutes). */
export interface AlarmCondition {
  op: string;
  value?: number;
  min?: number;
  max?: number;
  minutes?: number;
}

/** A command a rule sent or proposes, as the API shows it (the rules module's RuleCommand). */
export interface RuleCommandEventPayload {
  id: string;
  alarmId: string;
  deviceId: string;
  state: string;
  [field: string]: unknown;
}

/** An incident as the operator API shows it, without the reporter's personal data. */
export interface IncidentEventPayload {
  id: string;
  ticket: string;
  status: string;
  opdId: string | null;
  [field: string]: unknown;
}

/** A notification's state as the stream carries it: what it is about and how it went, never its address or text. */
export interface NotificationEventPayload {
  id: string;
  channel: string;
  state: string;
  userId: string | null;
  alarmId: string | null;
  incidentId: string | null;
  updatedAt: number;
}
