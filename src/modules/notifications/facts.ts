/**
 * What a message says about an alarm, gathered from the modules that know it:
 * the device and where it stands (its asset's kecamatan), the value's trend over
 * the last hour, the OPD, the region's time zone. Read with the platform's own
 * reading rights: a message is sent on behalf of the platform, not of a user.
 */
import type { AlarmPayload } from '../../core/events.ts';
import type { AssetsService } from '../assets/index.ts';
import { alarmReadingWords, keyLabel, valueWords, type DevicesService, type ProfileKey } from '../devices/index.ts';
import type { Incident, IncidentsService } from '../incidents/index.ts';
import type { IdentityService, Principal } from '../identity/index.ts';
import type { TelemetryService } from '../telemetry/index.ts';
import { builtInKey, formatTime, formatTrend, formatValue, levelName, quantityName } from './format.ts';
import type { Language, Placeholders } from './templates.ts';

const HOUR = 3_600_000;

export interface AlarmStory {
  alarm: AlarmPayload;
  timeZone: string;
  /** the placeholders of alarm.raised / alarm.escalated in a language */
  placeholders: (language: Language) => Placeholders;
}

/** The profile of a device type (ProfilesService.forType fits): its keys' labels, units and decimals. */
export interface ProfileWords {
  forType(regionId: string, type: string): Promise<{ keys: ProfileKey[] } | null>;
}

/** What the escalation needs to read about alarms (the alarms module answers). */
export interface AlarmReader {
  byId(regionId: string, id: string): Promise<AlarmPayload | null>;
}

export class AlarmFacts {
  private readonly alarms: AlarmReader;
  private readonly identity: Pick<IdentityService, 'getRegion' | 'listDistricts' | 'opdsByIds'>;
  private readonly devices: Pick<DevicesService, 'get'>;
  private readonly assets: Pick<AssetsService, 'byId'>;
  private readonly telemetry: Pick<TelemetryService, 'series'>;
  private readonly publicUrl: string;
  private readonly profiles: ProfileWords | null;
  constructor(
    alarms: AlarmReader,
    identity: Pick<IdentityService, 'getRegion' | 'listDistricts' | 'opdsByIds'>,
    devices: Pick<DevicesService, 'get'>,
    assets: Pick<AssetsService, 'byId'>,
    telemetry: Pick<TelemetryService, 'series'>,
    publicUrl: string,
    profiles: ProfileWords | null = null,
  ) {
    this.profiles = profiles;
    this.alarms = alarms;
    this.identity = identity;
    this.devices = devices;
    this.assets = assets;
    this.telemetry = telemetry;
    this.publicUrl = publicUrl;
  }

  /** The alarm and the words about it; null when it no longer exists. */
  async story(regionId: string, alarmId: string, now: number, minutesWaiting: number): Promise<AlarmStory | null> {
    const alarm = await this.alarms.byId(regionId, alarmId);
    if (!alarm) return null;
    const system: Principal = { userId: 'system', regionId, role: 'admin', opdId: null, email: 'system' };
    const region = await this.identity.getRegion(regionId);
    const [device, asset, opd, districts] = await Promise.all([
      alarm.deviceId ? this.devices.get(system, alarm.deviceId).catch(() => null) : null,
      alarm.assetId ? this.assets.byId(regionId, alarm.assetId).catch(() => null) : null,
      alarm.opdId ? this.identity.opdsByIds(regionId, [alarm.opdId]).then((o) => o[0] ?? null) : null,
      this.identity.listDistricts(regionId),
    ]);
    const trend = alarm.deviceId && alarm.key ? await this.trendPerHour(system, alarm.deviceId, alarm.key, alarm.lastAt) : null;
    const district = asset?.districtCode ? districts.find((d) => d.code === asset.districtCode)?.name ?? null : null;
    const place = [device?.name ?? asset?.name ?? null, district === null ? null : `Kec. ${district}`].filter((x) => x !== null).join(', ');
    const link = `${this.publicUrl}/#/alarms/${alarm.id}`;
    // The device profile's words for the key (label, unit, decimals); without one, the built-in names of common keys, else the key.
    const profile = device && alarm.key !== null && this.profiles ? await this.profiles.forType(regionId, device.type).catch(() => null) : null;
    const spec = profile?.keys.find((k) => k.key === alarm.key);
    return {
      alarm,
      timeZone: region.timezone,
      placeholders: (language) => ({
        // An alarm about the device itself (offline) has no key: its message says what happened.
        what: alarm.key === null ? (language === 'en' ? alarm.messageEn : alarm.message) : spec ? keyLabel(spec, alarm.key, language) : quantityName(alarm.key, language),
        level: levelName(alarm.severity, language),
        where: place || alarm.type,
        value: spec ? valueWords(spec, alarm.lastValue, language) : formatValue(alarm.key, alarm.lastValue, language),
        condition: alarmReadingWords(spec ?? builtInKey(alarm.key), alarm, language) ?? (language === 'en' ? alarm.messageEn : alarm.message),
        trend: formatTrend(alarm.key, trend, language, spec),
        time: formatTime(Math.min(alarm.lastAt, now), region.timezone, language),
        opd: opd ? `${opd.code} — ${opd.name}` : '–',
        minutes: String(minutesWaiting),
        link,
      }),
    };
  }

  /** Change per hour over the last hour of readings; null with fewer than two. */
  private async trendPerHour(system: Principal, deviceId: string, key: string, at: number): Promise<number | null> {
    try {
      const series = await this.telemetry.series(system, deviceId, { keys: [key], from: String(at - HOUR), to: String(at + 1), agg: 'none', limit: 1000, order: 'asc' });
      const points = (series[key] ?? []).filter((p): p is { ts: number; value: number } => typeof p.value === 'number');
      const first = points[0];
      const last = points[points.length - 1];
      if (!first || !last || last.ts - first.ts < 60_000) return null;
      return ((last.value - first.value) / (last.ts - first.ts)) * HOUR;
    } catch {
      return null;
    }
  }
}

export interface IncidentStory {
  incident: Incident;
  timeZone: string;
  placeholders: (language: Language) => Placeholders;
}

/** What a message says about a citizen report past its due time. */
export class IncidentFacts {
  private readonly incidents: Pick<IncidentsService, 'byId' | 'getCategory'>;
  private readonly identity: Pick<IdentityService, 'getRegion' | 'listDistricts' | 'opdsByIds'>;
  private readonly publicUrl: string;
  constructor(incidents: Pick<IncidentsService, 'byId' | 'getCategory'>, identity: Pick<IdentityService, 'getRegion' | 'listDistricts' | 'opdsByIds'>, publicUrl: string) {
    this.incidents = incidents;
    this.identity = identity;
    this.publicUrl = publicUrl;
  }

  async story(regionId: string, incidentId: string, now: number): Promise<IncidentStory | null> {
    const incident = await this.incidents.byId(regionId, incidentId);
    if (!incident) return null;
    const [region, category, districts, opds] = await Promise.all([
      this.identity.getRegion(regionId),
      this.incidents.getCategory(regionId, incident.categoryCode),
      this.identity.listDistricts(regionId),
      incident.opdId ? this.identity.opdsByIds(regionId, [incident.opdId]) : Promise.resolve([]),
    ]);
    const district = incident.districtCode ? districts.find((d) => d.code === incident.districtCode)?.name ?? null : null;
    const opd = opds[0];
    const dueAt = incident.sla.dueAt;
    return {
      incident,
      timeZone: region.timezone,
      placeholders: (language) => ({
        ticket: incident.ticket,
        title: language === 'en' && incident.titleEn !== null ? incident.titleEn : incident.title,
        category: category ? (language === 'id' ? category.nameId : category.nameEn) : incident.categoryCode,
        where: [incident.address, district === null ? null : `Kec. ${district}`].filter((x) => x).join(', ') || '–',
        due: dueAt === null ? '–' : formatTime(dueAt, region.timezone, language),
        opd: opd ? `${opd.code} — ${opd.name}` : '–',
        minutes: dueAt === null ? '0' : String(Math.max(0, Math.floor((now - dueAt) / 60_000))),
        link: `${this.publicUrl}/#/incidents/${incident.id}`,
      }),
    };
  }
}
