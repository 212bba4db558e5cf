import type { Incident, IncidentSeverity } from './incidents.contract.ts';
import type { IncidentIntake } from './incidents.intake.ts';
import type { IncidentRecords } from './incidents.records.ts';

/** A text in [Bahasa Indonesia, English]. */
export type Bilingual = readonly [string, string];

/** Alarms and incidents: the rule action opens an incident for an alarm, and its clearing is noted on it. */
export class AlarmBridge {
  private readonly records: IncidentRecords;
  private readonly intake: IncidentIntake;
  constructor(records: IncidentRecords, intake: IncidentIntake) {
    this.records = records;
    this.intake = intake;
  }

  /** Opens one incident for an alarm, unless one for it is open already. Returns it, or null when one exists. */
  async openFromAlarm(
    regionId: string,
    input: {
      alarmId: string;
      opdId: string;
      categoryCode: string | null;
      severity: IncidentSeverity;
      /** the rule's name: the title where there is no reading to word */
      title: string;
      /** the reading in words, [Bahasa Indonesia, English] */
      reading?: Bilingual | null;
      /** the alarm's level name, [Bahasa Indonesia, English] */
      level?: Bilingual | null;
      description: string;
      assetId: string | null;
      deviceId?: string | null;
      oncePerAlarm?: boolean;
    },
  ): Promise<Incident | null> {
    const existing = await this.records.repo.openForAlarm(regionId, input.alarmId);
    // oncePerAlarm: any incident of the alarm, even closed, means it was opened already.
    if (existing && (input.oncePerAlarm === true || !(['closed', 'rejected'] as string[]).includes(existing.status))) return null;
    const categories = await this.records.repo.listCategories(regionId);
    const code = input.categoryCode && categories.some((c) => c.code === input.categoryCode && c.active === 1) ? input.categoryCode : (categories.find((c) => c.code === 'other' && c.active === 1)?.code ?? categories.find((c) => c.active === 1)?.code);
    if (!code) return null;
    const asset = input.assetId ? await this.records.assets.byId(regionId, input.assetId) : null;
    // *Tinggi muka air 4,28 m di Pos Pantau Kelingi — Siaga*: what, where and how bad, in words (the rule's name where there is no reading)
    const titleIn = (lang: 0 | 1) =>
      `${input.reading?.[lang] ?? input.title}${asset ? ` ${lang === 0 ? 'di' : 'at'} ${asset.name}` : ''}${input.level ? ` — ${input.level[lang]}` : ''}`;
    const filed = this.intake.file(regionId, [
      {
        categoryCode: code,
        title: titleIn(0),
        titleEn: titleIn(1),
        description: input.description || input.title,
        severity: input.severity,
        lon: asset?.location?.lon ?? null,
        lat: asset?.location?.lat ?? null,
        address: asset?.name ?? null,
        districtCode: asset?.districtCode ?? null,
        source: 'alarm',
        alarmId: input.alarmId,
        opdId: input.opdId,
        // the rule routes it: the OPD has it at once, its follow-up clock running
        assignAtOnce: true,
        assetId: input.assetId,
        deviceId: input.deviceId ?? null,
      },
    ]).catch((error: Error) => {
      // Another instance opened it a moment ago (one open incident per alarm is a unique index).
      if (/unique|duplicate/i.test(error.message)) return null;
      throw error;
    });
    const result = await filed;
    return result ? result[0]!.incident : null;
  }

  /**
   * The alarm's level moved: its open incident follows (severity, the running
   * stage's due time, the level named at the end of the title unless an operator
   * renamed it), with a timeline line. Nothing when it has no open incident or
   * the severity is the same.
   */
  async followLevel(regionId: string, alarmId: string, input: { severity: IncidentSeverity; fromLevel: Bilingual; toLevel: Bilingual }): Promise<boolean> {
    const row = await this.records.repo.openForAlarm(regionId, alarmId);
    if (!row || !(['new', 'assigned', 'in_progress'] as string[]).includes(row.status)) return false;
    const relevel = (text: string, lang: 0 | 1) => {
      const suffix = ` — ${input.fromLevel[lang]}`;
      return text.endsWith(suffix) ? `${text.slice(0, -suffix.length)} — ${input.toLevel[lang]}` : text;
    };
    const title = relevel(row.title, 0);
    // An operator's rename has one language: the English title goes with it (handling.edit clears it).
    const titleEn = row.title_en === null ? null : relevel(row.title_en, 1);
    if (row.severity === input.severity && title === row.title) return false;
    const now = this.records.now();
    const patch = { severity: input.severity, title, title_en: titleEn, updated_at: now, ...(row.severity === input.severity ? {} : await this.records.restage(row, input.severity)) };
    const text = `${input.fromLevel[0]} → ${input.toLevel[0]}`;
    const events = [this.records.event(row, 'severity', null, false, text, row.severity, input.severity, now)];
    if (!(await this.records.repo.update([{ id: row.id, expectStatus: row.status, patch }], events))) return false;
    this.records.publishUpdated(regionId, row.id);
    return true;
  }

  /** Notes on the alarm's incident that the alarm cleared; the incident stays open for people to close. */
  async noteAlarmCleared(regionId: string, alarmId: string, text: string): Promise<void> {
    const row = await this.records.repo.openForAlarm(regionId, alarmId);
    if (!row) return;
    const now = this.records.now();
    await this.records.repo.update([{ id: row.id, expectStatus: row.status, patch: { updated_at: now } }], [this.records.event(row, 'note', null, false, text, null, null, now)]);
    this.records.publishUpdated(regionId, row.id);
  }
}
