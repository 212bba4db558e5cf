/**
 * The tables as Kysely sees them. Columns are snake_case; times are ms since
 * epoch (UTC) stored as integers; JSON is stored as text on both dialects.
 */
import type { Generated } from 'kysely';

export interface RegionsTable {
  id: string;
  /** Kemendagri code, e.g. 16.05 */
  code: string;
  name: string;
  province_code: string;
  province_name: string;
  /** IANA zone used for calendar-aligned aggregates, e.g. Asia/Jakarta */
  timezone: string;
  /** null keeps telemetry forever */
  retention_days: number | null;
  /** a device silent this long is shown offline */
  offline_after_minutes: number;
  created_at: number;
  updated_at: number;
}

export interface DistrictsTable {
  /** Kemendagri kecamatan code, e.g. 16.05.09 */
  code: string;
  region_id: string;
  name: string;
}

export interface OpdsTable {
  id: string;
  region_id: string;
  /** short name, e.g. BPBD, DISKOMINFO */
  code: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  region_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: 'admin' | 'operator' | 'viewer';
  opd_id: string | null;
  /** jabatan: staf, kasi, kabid, sekretaris, kepala, sekda, bupati; null when not given */
  position: string | null;
  disabled: number;
  last_login_at: number | null;
  /** 1: the first admin's password was generated and printed, and has not been used yet (it is replaced and printed again on each start until then) */
  password_generated: number;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the bearer token */
  token_hash: string;
  user_id: string;
  region_id: string;
  created_at: number;
  expires_at: number;
}

export interface AssetsTable {
  id: string;
  region_id: string;
  opd_id: string | null;
  type: string;
  name: string;
  /** GeoJSON geometry as text */
  geometry: string | null;
  /** representative point, for maps and bounding-box search */
  lon: number | null;
  lat: number | null;
  district_code: string | null;
  attributes: string;
  created_at: number;
  updated_at: number;
}

export interface DevicesTable {
  id: string;
  region_id: string;
  opd_id: string | null;
  asset_id: string | null;
  name: string;
  type: string;
  label: string | null;
  /** SHA-256 of the access token; null when revoked */
  token_hash: string | null;
  /** last 4 characters of the token, to recognise it */
  token_hint: string | null;
  last_activity_at: number | null;
  /** 1 online, 0 offline, null never seen */
  online: number | null;
  status_changed_at: number | null;
  created_at: number;
  updated_at: number;
  /** 1: a gateway, which may speak for the devices behind it (v1/gateway/*) */
  is_gateway: number;
  /** set on a device behind a gateway: that gateway; such a device has no token and is named per gateway */
  gateway_id: string | null;
}

/** One per device type per region (migration 0017). */
export interface DeviceProfilesTable {
  id: string;
  region_id: string;
  type: string;
  /** JSON {id, en} */
  name: string;
  /** JSON array of ProfileKey */
  keys: string;
  /** JSON array of ProfileCommand */
  commands: string;
  offline_timeout_seconds: number | null;
  provision_key: string | null;
  /** SHA-256 of the provisioning secret */
  provision_secret_hash: string | null;
  provision_opd_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface DeviceAttributesTable {
  device_id: string;
  region_id: string;
  /** client (sent by the device), shared (set by the platform for the device), server */
  scope: 'client' | 'shared' | 'server';
  key: string;
  /** JSON text */
  value: string;
  updated_at: number;
}

export interface TelemetrySeriesTable {
  id: Generated<number>;
  region_id: string;
  device_id: string;
  key: string;
  /** the latest point by timestamp (not by arrival) */
  latest_ts: number | null;
  latest_num: number | null;
  latest_str: string | null;
  latest_bool: number | null;
  latest_json: string | null;
}

export interface TelemetryTable {
  series_id: number;
  ts: number;
  num: number | null;
  str: string | null;
  bool: number | null;
  json: string | null;
}

export interface RulesTable {
  id: string;
  region_id: string;
  /** set: the rule applies to this OPD's devices only */
  opd_id: string | null;
  name: string;
  enabled: number;
  target_kind: 'device' | 'device_type' | 'asset_type';
  target_value: string;
  key: string;
  /** JSON of the condition */
  condition: string;
  /** JSON of the clear condition; null: the negation of the condition */
  clear_condition: string | null;
  duration_ms: number;
  severity: string;
  /** JSON list of actions */
  actions: string;
  /** JSON of the ordered levels ({severity, condition, clearCondition}); null (rules before 0011): condition, clear_condition and severity are the one level */
  levels: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface RuleStatesTable {
  rule_id: string;
  device_id: string;
  region_id: string;
  /** when the condition became true and has held since, or null */
  pending_since: number | null;
  last_ts: number | null;
  last_value: number | null;
}

export interface AlarmsTable {
  id: string;
  region_id: string;
  rule_id: string | null;
  device_id: string | null;
  asset_id: string | null;
  opd_id: string | null;
  /** what raised it: `rule:<id>`, or `device_offline` */
  origin: string;
  /** the rule's name, or a built-in type such as device_offline */
  type: string;
  severity: string;
  status: 'active' | 'cleared';
  acknowledged: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  cleared_by: string | null;
  cleared_at: number | null;
  started_at: number;
  last_at: number;
  count: number;
  key: string | null;
  /** JSON of the last value that matched */
  last_value: string | null;
  /** in Bahasa Indonesia */
  message: string;
  /** in English (migration 0025); null: older alarms, whose message is the only one */
  message_en?: string | null;
  /** JSON of the condition the reading met ({op, value} or {op, min, max}); null: none (a reading between hysteresis thresholds, an offline alarm, older alarms) */
  condition?: string | null;
  created_at: number;
  updated_at: number;
}

/** A command a rule sent, or proposes until an operator confirms it. */
export interface RuleCommandsTable {
  id: string;
  region_id: string;
  alarm_id: string;
  rule_id: string;
  rule_name: string;
  device_id: string;
  opd_id: string | null;
  method: string;
  /** JSON text */
  params: string;
  label_id: string;
  label_en: string;
  state: 'pending' | 'sent' | 'failed' | 'dismissed' | 'expired';
  created_at: number;
  decided_at: number | null;
  decided_by: string | null;
  decided_by_name: string | null;
  error: string | null;
}

export interface AlarmEventsTable {
  id: string;
  alarm_id: string;
  region_id: string;
  kind: 'opened' | 'repeated' | 'acknowledged' | 'unacknowledged' | 'level_changed' | 'cleared';
  at: number;
  user_id: string | null;
  note: string | null;
  /** level_changed: the severity before and after */
  from_severity: string | null;
  to_severity: string | null;
  /** level_changed: the reading that changed the level */
  value: number | null;
}

export interface RegionLayersTable {
  region_id: string;
  /** e.g. kecamatan, rivers, hotspots */
  key: string;
  name_id: string;
  name_en: string;
  /** a GeoJSON FeatureCollection */
  geojson: string;
  /** 1 when the shapes are drawn by hand, not surveyed */
  approximate: number;
  updated_at: number;
}

export interface IncidentCategoriesTable {
  region_id: string;
  code: string;
  name_id: string;
  name_en: string;
  description_id: string;
  description_en: string;
  group_name: string;
  /** routed OPD by its code, resolved to the region's OPD when an incident is filed */
  opd_code: string | null;
  default_severity: string;
  /** JSON list of strings */
  keywords: string;
  /** JSON list of Open311 attributes */
  attributes: string;
  active: number;
  sort: number;
  /** working days per SLA stage; null: the SP4N-LAPOR! default */
  sla_route_days: number | null;
  sla_follow_up_days: number | null;
  sla_close_days: number | null;
  /** 1: its reports are public at once; 0: an operator approves each first (moderation) */
  auto_publish: number;
  created_at: number;
  updated_at: number;
}

export interface IncidentCountersTable {
  region_id: string;
  next_number: number;
}

export interface IncidentsTable {
  id: string;
  region_id: string;
  /** public number, e.g. MR-000123 */
  ticket: string;
  /** report, alarm, operator, lapor */
  source: string;
  category_code: string;
  title: string;
  /** the title in English where the platform worded it (an alarm's incident, migration 0029); null: a title people wrote, in their language */
  title_en: string | null;
  description: string;
  severity: string;
  /** new, assigned, in_progress, resolved, closed, rejected */
  status: string;
  reject_reason: string | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  district_code: string | null;
  opd_id: string | null;
  assignee_user_id: string | null;
  alarm_id: string | null;
  merged_into_id: string | null;
  /** SP4N-LAPOR! tracking id of an imported report */
  lapor_id: string | null;
  /** JSON list of photo ids */
  photos: string;
  media_url: string | null;
  /** JSON of the category's extra attributes */
  attributes: string;
  api_key_id: string | null;
  /** SHA-256 of the reporter's code (erase_secret): it erases their data and signs their answers */
  erase_secret_hash: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  assigned_at: number | null;
  followed_up_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  /** the last public answer while resolved, the OPD's or the reporter's: the silent-reporter close counts from it */
  last_answer_at: number | null;
  sla_stage: 'route' | 'follow_up' | 'resolve' | 'close' | null;
  sla_started_at: number | null;
  sla_due_at: number | null;
  /** 1 once a stage finished after its due time */
  sla_breached: number;
  /** pending (awaits an operator's decision), published, private (an alarm's, or refused for publication) */
  publication: string;
  /** what the public sees instead of the title and description; null: the incident's own */
  public_title: string | null;
  public_text: string | null;
  /** 1: its photo is shown publicly once published */
  public_photo: number;
  /** the asset and device of the alarm that opened it */
  asset_id: string | null;
  device_id: string | null;
}

export interface IncidentReportersTable {
  incident_id: string;
  region_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  created_at: number;
}

export interface IncidentEventsTable {
  id: string;
  incident_id: string;
  region_id: string;
  kind: string;
  at: number;
  user_id: string | null;
  public: number;
  text: string | null;
  from_value: string | null;
  to_value: string | null;
}

export interface ApiKeysTable {
  id: string;
  region_id: string;
  name: string;
  /** 'public': the public page's own key; 'app': an Open311 app's key issued by an admin */
  kind: 'public' | 'app';
  /** SHA-256 of the key */
  key_hash: string;
  /** first characters, to tell keys apart in the list */
  key_prefix: string;
  /** the key in clear, only for kind 'public' (published to every visitor) */
  public_key: string | null;
  created_by: string | null;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface PhotosTable {
  id: string;
  region_id: string;
  content_type: string;
  bytes: number;
  width: number;
  height: number;
  /** key in the file store */
  storage_key: string;
  sha256: string;
  /** the type sniffed from the uploaded bytes, before re-encoding */
  original_type: string;
  api_key_id: string | null;
  /** the report it belongs to ('pending' while being filed); null: not part of a report */
  ticket: string | null;
  created_at: number;
}

export interface Open311TokensTable {
  token: string;
  region_id: string;
  ticket: string;
  created_at: number;
}

// Master plan collaboration and evaluation (MP-DOCS, migration 0007).
export interface MpMembersTable { region_id: string; user_id: string; role: 'council' | 'team'; created_at: number }
export interface MpSessionsTable {
  id: string; region_id: string; round: number; date: number; title: string; place: string;
  /** JSON [{ name, opd }] */
  participants: string; notes: string;
  /** JSON string[] */
  decisions: string; created_by: string | null; created_at: number; updated_at: number;
}
export interface MpCommentsTable { id: string; region_id: string; program_id: string | null; section: string | null; user_id: string | null; author_name: string; body: string; created_at: number; updated_at: number }
export interface MpCommitmentsTable {
  id: string; region_id: string; signer_name: string; position: string; opd_id: string | null; signed_at: number; note: string;
  file_key: string | null; file_type: string | null; file_bytes: number | null; created_by: string | null; created_at: number; updated_at: number;
}
export interface MpActivityTable { id: string; region_id: string; user_id: string | null; user_name: string | null; action: string; entity: string; entity_id: string | null; summary: string; detail: string; created_at: number }
export interface MpEvalYearsTable { region_id: string; year: number; w_baseline: number; w_output: number; w_outcome: number; w_impact: number; w_quick_win: number; updated_by: string | null; updated_at: number; started_from: number | null }
/** An evaluation item; one pre-filled from the platform (`auto_key`, migration 0028) keeps what was computed (`figures` JSON) beside the score used, and the reason a person changed it. */
export interface MpEvalItemsTable {
  id: string; region_id: string; year: number; dimension: string; name: string; smart_dimension: string | null; score: number | null; note: string; sort: number; created_at: number; updated_at: number;
  auto_key: string | null; computed_score: number | null; figures: string; computed_at: number | null; reason: string; changed_by: string | null;
}
/** A Baseline set by hand over the computed one (migration 0028), 0–5, with its reason. */
export interface MpEvalBaselinesTable { region_id: string; year: number; score: number; reason: string; user_id: string | null; user_name: string; updated_at: number }
export interface MpEvalEvidenceTable { id: string; region_id: string; item_id: string; file_key: string; filename: string; content_type: string; bytes: number; sha256: string; uploaded_by: string | null; created_at: number }
/** One program per element of a smart city dimension (element_key: migration 0028). */
export interface MpSurveyProgramsTable { region_id: string; year: number; dimension_key: string; element_key: string | null; program_id: string; sort: number }
export interface MpSurveyAnswersTable { id: string; region_id: string; year: number; program_id: string; respondent: string | null; score: number; source: 'operator' | 'csv'; created_by: string | null; created_at: number }

// Master plan core (MP-CORE, migration 0006).
export interface MpPlansTable {
  region_id: string; title: string; vision: string; missions: string; policy_directions: string; period_start: number | null; period_end: number | null;
  /** 'komdigi' | 'kominfo'; null: by the document's date (migration 0022) */
  programme_owner: string | null;
  updated_by: string | null; updated_at: number;
}
export interface MpReadinessTable { region_id: string; year: number; element: string; sub_key: string; code: string; question_id: string; question_en: string; score: number | null; target: number | null; note: string; updated_at: number }
export interface MpSwotTable { region_id: string; year: number; element: string; strengths: string; weaknesses: string; opportunities: string; threats: string; updated_at: number }
export interface MpProgramsTable {
  id: string; region_id: string; opd_id: string | null; document: string; code: string; level: 'program' | 'kegiatan' | 'sub_kegiatan';
  name: string; indicator: string; target: string; unit: string; budget: number; year: number; location: string;
  dimension_key: string | null; element_key: string | null; quick_win: number; horizon: string | null; roadmap_year: number | null;
  review_status: string; natural_key: string; source_hash: string; created_at: number; updated_at: number;
}
export interface MpKpisTable { id: string; region_id: string; program_id: string | null; dimension_key: string | null; element_key: string | null; name: string; unit: string; baseline: number | null; direction: 'up' | 'down'; metric: string | null; opd_id: string | null; created_at: number; updated_at: number }
export interface MpKpiValuesTable { kpi_id: string; year: number; target: number | null; actual: number | null; source: 'manual' | 'live'; computed_at: number | null }
/** A master plan import preview waiting for its confirm; `rows` is JSON, the times ms since epoch (UTC). */
export interface MpImportPreviewsTable { id: string; region_id: string; user_id: string; document: string; year: number | null; rows: string; created_at: number; expires_at: number }

// Master plan initiatives (migration 0024): JSON text columns hold arrays; money in whole rupiah; times ms since epoch (UTC).
export interface MpInitiativesTable {
  id: string; region_id: string; dimension_key: string; element_key: string | null; name: string; problem: string; goal: string; target: string;
  indicators: string; lead_opd_id: string | null; supporting_opd_ids: string; start_year: number | null; end_year: number | null; cost_estimate: number | null;
  funding_sources: string; status: string; created_by: string | null; created_at: number; updated_at: number;
}
/** A funding trace line: `share` is the percent (1-100) of the line's budget the initiative takes. */
export interface MpInitiativeLinesTable { region_id: string; initiative_id: string; program_id: string; share: number; created_at: number }
export interface MpInitiativeYearsTable { region_id: string; initiative_id: string; year: number; planned: number | null; realised: number | null; note: string; updated_at: number }
// Quick wins and roadmap milestones (migration 0027); months are 'YYYY-MM', money whole rupiah
export interface MpQuickWinsTable {
  id: string; region_id: string; dimension_key: string; initiative_id: string | null; title: string; background: string; output: string; outcome: string;
  start_month: string; end_month: string; cost: number | null; funding_source: string | null; lead_opd_id: string | null; status: string;
  source_program_id: string | null; created_by: string | null; created_at: number; updated_at: number;
}
export interface MpRoadmapMilestonesTable { id: string; region_id: string; dimension_key: string; year: number; text: string; created_by: string | null; created_at: number; updated_at: number }

// Master plan records (migration 0026): texts in both languages are not stored, only keys; times ms since epoch (UTC).
export interface MpProfileValuesTable { region_id: string; key: string; value: number; year: number; source: string; note: string; updated_by: string | null; updated_at: number }
export interface MpStrategicIssuesTable { id: string; region_id: string; dimension_key: string; title: string; description: string; created_at: number; updated_at: number }
export interface MpIctItemsTable { id: string; region_id: string; kind: string; name: string; opd_id: string | null; status: string; description: string; created_at: number; updated_at: number }
export interface MpStrategiesTable { id: string; region_id: string; quadrant: string; element: string | null; dimension_key: string | null; text: string; created_at: number; updated_at: number }
export interface MpGoalsTable { id: string; region_id: string; dimension_key: string; text: string; indicator: string; target: string; created_at: number; updated_at: number }
export interface MpDevelopmentPlansTable { id: string; region_id: string; area: string; what: string; year: number; opd_id: string | null; status: string; note: string; created_at: number; updated_at: number }
export interface MpAdoptionTable { region_id: string; status: string; perbup_number: string; perbup_date: string; rpjmd_reference: string; note: string; updated_by: string | null; updated_at: number }
export interface MpAppendicesTable { id: string; region_id: string; kind: string; title: string; commitment_id: string | null; created_at: number; updated_at: number }

// Notifications (migration 0013)
export interface NotificationChannelsTable { region_id: string; kind: string; enabled: number; settings: string; secrets: string; messages_per_second: number | null; updated_by: string | null; updated_at: number }
export interface UserContactsTable {
  id: string; region_id: string; user_id: string; channel: string; address: string | null; rank: number; verified_at: number | null;
  code_hash: string | null; code_expires_at: number | null; code_attempts: number; created_at: number; updated_at: number;
}
export interface NotificationSettingsTable { user_id: string; region_id: string; language: string; quiet_start: number | null; quiet_end: number | null; updated_at: number }
export interface NotificationTemplatesTable { region_id: string; event: string; channel: string; language: string; subject: string; body: string; updated_by: string | null; updated_at: number }
export interface EscalationsTable {
  id: string; region_id: string; subject_kind: 'alarm' | 'incident'; subject_id: string; opd_id: string | null; severity: string; level: number;
  state: 'active' | 'acknowledged' | 'cleared' | 'exhausted'; started_at: number; next_at: number | null; claimed_until: number | null; claim: string | null; updated_at: number;
}
export interface NotificationsTable {
  id: string; region_id: string; event: string; user_id: string | null; recipient_name: string | null; channel: string; address: string; contact_rank: number | null;
  language: string; subject: string; body: string; data: string; alarm_id: string | null; incident_id: string | null; escalation_id: string | null; escalation_level: number | null;
  ack_token_hash: string | null; ack_used_at: number | null;
  state: 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'suppressed' | 'cancelled';
  attempts: number; next_attempt_at: number; claimed_until: number | null; claim: string | null; provider_message_id: string | null; error: string | null;
  fallback_of: string | null; created_at: number; updated_at: number; sent_at: number | null; delivered_at: number | null; read_at: number | null;
  /** the public warning the message carries (migration 0014) */
  warning_id: string | null;
}

// Residents told (migration 0014)
/** A reporter who asked to hear about their report: personal data, deleted with the rest of theirs. */
export interface ReporterContactsTable {
  incident_id: string; region_id: string; ticket: string; channel: string; address: string; language: string; stop_hash: string; stopped_at: number | null; created_at: number;
}
/** A resident's early-warning subscription for a kecamatan (double opt-in). */
export interface WarningSubscriptionsTable {
  id: string; region_id: string; district_code: string; channel: string; address: string; language: string; state: 'pending' | 'confirmed' | 'unsubscribed';
  code_hash: string | null; code_expires_at: number | null; code_attempts: number; unsubscribe_hash: string; confirmed_at: number | null; unsubscribed_at: number | null; created_at: number; updated_at: number;
}
/** A public warning drafted from an Awas alarm; sent only once a person approved it. */
export interface PublicWarningsTable {
  id: string; region_id: string; alarm_id: string; opd_id: string | null; district_code: string | null; district_name: string | null; severity: string;
  title_id: string; text_id: string; title_en: string; text_en: string; state: 'preparing' | 'draft' | 'discarded' | 'sending' | 'sent';
  edited_by: string | null; approved_by: string | null; approved_at: number | null; discarded_by: string | null; discarded_at: number | null;
  queued_count: number; fanout_after: string | null; sent_at: number | null; created_at: number; updated_at: number;
}
/** One weekly shift of an OPD's duty roster (jadwal piket), in the region's time zone. */
export interface DutyShiftsTable {
  id: string;
  region_id: string;
  opd_id: string;
  /** ISO weekday of the start: 1 Senin (Monday) … 7 Minggu (Sunday) */
  weekday: number;
  /** minutes after local midnight, 0–1439 */
  start_minute: number;
  /** minutes after local midnight; at or before the start: the shift ends the next day */
  end_minute: number;
  user_id: string;
  note: string;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
}

/** A swap (tukar piket): during [starts_at, ends_at) user_id takes replaces_user_id's duty, or is added. */
export interface DutySwapsTable {
  id: string;
  region_id: string;
  opd_id: string;
  /** ms since epoch, UTC */
  starts_at: number;
  /** ms since epoch, UTC, exclusive */
  ends_at: number;
  user_id: string;
  replaces_user_id: string | null;
  note: string;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
}

/** How an unacknowledged alarm of one severity escalates within an OPD. */
export interface EscalationPoliciesTable {
  region_id: string;
  opd_id: string;
  /** an alarm severity or `any` */
  severity: string;
  /** JSON text: the levels */
  levels: string;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
}

/** One change by a signed-in person (migration 0015); `before`/`after` are JSON text of the changed fields. */
export interface AuditLogTable {
  id: string; region_id: string; at: number; user_id: string; user_name: string; user_role: string;
  entity: string; entity_id: string | null; entity_label: string | null; action: string; method: string; route: string; status: number;
  before: string | null; after: string | null; ip: string | null;
}

/** A command to a device (migration 0018); params, response and requested_by are JSON text. */
export interface RpcRequestsTable {
  id: string; region_id: string; device_id: string; opd_id: string | null; request_id: number; method: string; params: string;
  oneway: number; persistent: number; state: string; timeout_ms: number; response: string | null; error: string | null; requested_by: string | null;
  created_at: number; sent_at: number | null; delivered_at: number | null; answered_at: number | null; deadline_at: number | null; expires_at: number;
}

export interface Schema {
  regions: RegionsTable;
  districts: DistrictsTable;
  opds: OpdsTable;
  users: UsersTable;
  sessions: SessionsTable;
  assets: AssetsTable;
  devices: DevicesTable;
  device_attributes: DeviceAttributesTable;
  device_profiles: DeviceProfilesTable;
  telemetry_series: TelemetrySeriesTable;
  telemetry: TelemetryTable;
  rules: RulesTable;
  rule_states: RuleStatesTable;
  alarms: AlarmsTable;
  alarm_events: AlarmEventsTable;
  region_layers: RegionLayersTable;
  incident_categories: IncidentCategoriesTable;
  incident_counters: IncidentCountersTable;
  incidents: IncidentsTable;
  incident_reporters: IncidentReportersTable;
  incident_events: IncidentEventsTable;
  api_keys: ApiKeysTable;
  photos: PhotosTable;
  open311_tokens: Open311TokensTable;
  mp_plans: MpPlansTable;
  mp_readiness: MpReadinessTable;
  mp_swot: MpSwotTable;
  mp_programs: MpProgramsTable;
  mp_kpis: MpKpisTable;
  mp_kpi_values: MpKpiValuesTable;
  mp_import_previews: MpImportPreviewsTable;
  mp_members: MpMembersTable;
  mp_sessions: MpSessionsTable;
  mp_comments: MpCommentsTable;
  mp_commitments: MpCommitmentsTable;
  mp_activity: MpActivityTable;
  mp_eval_years: MpEvalYearsTable;
  mp_eval_items: MpEvalItemsTable;
  mp_eval_evidence: MpEvalEvidenceTable;
  mp_eval_baselines: MpEvalBaselinesTable;
  mp_survey_programs: MpSurveyProgramsTable;
  mp_survey_answers: MpSurveyAnswersTable;
  mp_initiatives: MpInitiativesTable;
  mp_initiative_lines: MpInitiativeLinesTable;
  mp_initiative_years: MpInitiativeYearsTable;
  mp_quick_wins: MpQuickWinsTable;
  mp_roadmap_milestones: MpRoadmapMilestonesTable;
  mp_profile_values: MpProfileValuesTable;
  mp_strategic_issues: MpStrategicIssuesTable;
  mp_ict_items: MpIctItemsTable;
  mp_strategies: MpStrategiesTable;
  mp_goals: MpGoalsTable;
  mp_development_plans: MpDevelopmentPlansTable;
  mp_adoption: MpAdoptionTable;
  mp_appendices: MpAppendicesTable;
  notification_channels: NotificationChannelsTable;
  user_contacts: UserContactsTable;
  notification_settings: NotificationSettingsTable;
  notification_templates: NotificationTemplatesTable;
  escalations: EscalationsTable;
  notifications: NotificationsTable;
  duty_shifts: DutyShiftsTable;
  duty_swaps: DutySwapsTable;
  escalation_policies: EscalationPoliciesTable;
  reporter_contacts: ReporterContactsTable;
  warning_subscriptions: WarningSubscriptionsTable;
  public_warnings: PublicWarningsTable;
  audit_log: AuditLogTable;
  rpc_requests: RpcRequestsTable;
  rule_commands: RuleCommandsTable;
}
