import type { AssetsService } from '../assets/index.ts';
import { randomBytes } from 'node:crypto';
import type { DevicesService, ProfilesService } from '../devices/index.ts';
import { DEMO_PROFILES } from './demo.profiles.ts';
import type { DutyService } from '../duty/index.ts';
import type { IdentityService, Position, Principal, Role } from '../identity/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { CommandActionConfig, RulesService } from '../rules/index.ts';
import { hotspotPoints, KECAMATAN_CENTRES, kecamatanPolygons, musiLine, onMusi, onTributary, regencyOutline, tributaryLines } from './demo.places.ts';

export type SensorKind = 'river' | 'rain' | 'air' | 'light' | 'pump' | 'cctv' | 'vehicle';

/** One demo device and the asset it sits on. `label` ties it to the simulator across restarts. */
export interface DemoDevice {
  label: string;
  kind: SensorKind;
  name: string;
  deviceType: string;
  assetType: string;
  opd: string;
  /** [lon, lat], placed by hand inside `district` */
  at: [number, number];
  /** the Kemendagri code of the kecamatan whose polygon holds `at` */
  district: string;
}

export const DEMO_OPDS: { code: string; name: string }[] = [
  { code: 'BPBD', name: 'Badan Penanggulangan Bencana Daerah' },
  { code: 'PUPR', name: 'Dinas Pekerjaan Umum dan Penataan Ruang' },
  { code: 'DINKES', name: 'Dinas Kesehatan' },
  { code: 'DLH', name: 'Dinas Lingkungan Hidup' },
  { code: 'DISHUB', name: 'Dinas Perhubungan' },
  { code: 'BAPPEDA', name: 'Badan Perencanaan Pembangunan Daerah' },
  { code: 'DISDIK', name: 'Dinas Pendidikan' },
  { code: 'SATPOLPP', name: 'Satuan Polisi Pamong Praja' },
  { code: 'DAMKAR', name: 'Dinas Pemadam Kebakaran' },
  { code: 'SETDA', name: 'Sekretariat Daerah' },
];

/** People with positions and duty, so that an escalation has someone to reach (they log in only after an admin sets a password). */
export const DEMO_PEOPLE: { key: string; name: string; opd: string; role: Role; position: Position }[] = [
  { key: 'piket1.bpbd', name: 'Rahmat Hidayat', opd: 'BPBD', role: 'operator', position: 'staf' },
  { key: 'piket2.bpbd', name: 'Siti Aminah', opd: 'BPBD', role: 'operator', position: 'staf' },
  { key: 'piket3.bpbd', name: 'Joko Susilo', opd: 'BPBD', role: 'operator', position: 'staf' },
  { key: 'kabid.bpbd', name: 'Hendra Saputra', opd: 'BPBD', role: 'operator', position: 'kabid' },
  { key: 'kalaksa.bpbd', name: 'Ir. Syamsul Bahri', opd: 'BPBD', role: 'operator', position: 'kepala' },
  { key: 'piket1.dlh', name: 'Dewi Lestari', opd: 'DLH', role: 'operator', position: 'staf' },
  { key: 'piket2.dlh', name: 'Agus Salim', opd: 'DLH', role: 'operator', position: 'staf' },
  { key: 'kabid.dlh', name: 'Yuliana Putri', opd: 'DLH', role: 'operator', position: 'kabid' },
  { key: 'sekda', name: 'Drs. H. Ahmad Fauzi', opd: 'SETDA', role: 'viewer', position: 'sekda' },
];

const near = (code: string, dLon: number, dLat: number): [number, number] => {
  const [lon, lat] = KECAMATAN_CENTRES[code]!;
  return [Math.round((lon + dLon) * 1e5) / 1e5, Math.round((lat + dLat) * 1e5) / 1e5];
};

export const DEMO_DEVICES: DemoDevice[] = [
  { label: 'demo:pda-kelingi-muara', kind: 'river', name: 'PDA Sungai Kelingi — Muara Kelingi', deviceType: 'river_gauge', assetType: 'river_gauge', opd: 'BPBD', at: onTributary('Sungai Kelingi', 5), district: '16.05.03' },
  { label: 'demo:pda-kelingi-tugumulyo', kind: 'river', name: 'PDA Sungai Kelingi — Tugumulyo', deviceType: 'river_gauge', assetType: 'river_gauge', opd: 'BPBD', at: onTributary('Sungai Kelingi', 1), district: '16.05.01' },
  { label: 'demo:pda-musi-btsulu', kind: 'river', name: 'PDA Sungai Musi — BTS Ulu', deviceType: 'river_gauge', assetType: 'river_gauge', opd: 'BPBD', at: onMusi(6), district: '16.05.14' },
  { label: 'demo:pda-beliti', kind: 'river', name: 'PDA Sungai Beliti — Muara Beliti', deviceType: 'river_gauge', assetType: 'river_gauge', opd: 'BPBD', at: onTributary('Sungai Beliti', 2), district: '16.05.09' },
  { label: 'demo:pda-lakitan', kind: 'river', name: 'PDA Sungai Lakitan — Muara Lakitan', deviceType: 'river_gauge', assetType: 'river_gauge', opd: 'BPBD', at: onTributary('Sungai Lakitan', 2), district: '16.05.02' },
  { label: 'demo:arr-selangit', kind: 'rain', name: 'Penakar hujan Selangit', deviceType: 'rain_gauge', assetType: 'rain_gauge', opd: 'BPBD', at: near('16.05.11', 0.01, 0.01), district: '16.05.11' },
  { label: 'demo:arr-muara-kelingi', kind: 'rain', name: 'Penakar hujan Muara Kelingi', deviceType: 'rain_gauge', assetType: 'rain_gauge', opd: 'BPBD', at: near('16.05.03', -0.02, 0.02), district: '16.05.03' },
  { label: 'demo:aqm-megang-sakti', kind: 'air', name: 'Pemantau udara Megang Sakti', deviceType: 'air_quality', assetType: 'air_quality', opd: 'DLH', at: near('16.05.12', 0, 0.01), district: '16.05.12' },
  { label: 'demo:aqm-muara-kelingi', kind: 'air', name: 'Pemantau udara Muara Kelingi', deviceType: 'air_quality', assetType: 'air_quality', opd: 'DLH', at: near('16.05.03', 0.01, -0.01), district: '16.05.03' },
  { label: 'demo:aqm-muara-beliti', kind: 'air', name: 'Pemantau udara Muara Beliti', deviceType: 'air_quality', assetType: 'air_quality', opd: 'DLH', at: near('16.05.09', 0.01, 0.005), district: '16.05.09' },
  ...Array.from({ length: 8 }, (_, i): DemoDevice => ({
    label: `demo:pju-${i + 1}`,
    kind: 'light',
    name: `PJU Jalan Lintas Sumatera ${i + 1}`,
    deviceType: 'street_light',
    assetType: 'street_light',
    opd: 'DISHUB',
    at: [Math.round((103.0 + i * 0.01) * 1e5) / 1e5, Math.round((-3.262 + i * 0.003) * 1e5) / 1e5],
    district: '16.05.09',
  })),
  { label: 'demo:pompa-muara-kelingi', kind: 'pump', name: 'Pompa banjir Muara Kelingi', deviceType: 'pump', assetType: 'pump', opd: 'PUPR', at: near('16.05.03', 0.015, 0.0), district: '16.05.03' },
  { label: 'demo:pompa-tugumulyo', kind: 'pump', name: 'Pompa irigasi Tugumulyo', deviceType: 'pump', assetType: 'pump', opd: 'PUPR', at: near('16.05.01', 0.01, -0.01), district: '16.05.01' },
  // The pump a rule starts when the Kelingi reaches Awas at the Tugumulyo polder.
  { label: 'demo:pompa-tugumulyo-2', kind: 'pump', name: 'Pompa 2 Polder Tugumulyo', deviceType: 'pump', assetType: 'pump', opd: 'PUPR', at: near('16.05.01', 0.014, -0.004), district: '16.05.01' },
  { label: 'demo:cctv-simpang-beliti', kind: 'cctv', name: 'CCTV Simpang Muara Beliti', deviceType: 'cctv', assetType: 'cctv', opd: 'DISHUB', at: near('16.05.09', -0.005, 0.0), district: '16.05.09' },
  { label: 'demo:cctv-jembatan-kelingi', kind: 'cctv', name: 'CCTV Jembatan Muara Kelingi', deviceType: 'cctv', assetType: 'cctv', opd: 'DISHUB', at: near('16.05.03', 0.0, -0.03), district: '16.05.03' },
  { label: 'demo:trc-bpbd-1', kind: 'vehicle', name: 'Mobil TRC BPBD 1', deviceType: 'tracker', assetType: 'vehicle', opd: 'BPBD', at: near('16.05.09', 0, 0), district: '16.05.09' },
  { label: 'demo:trc-bpbd-2', kind: 'vehicle', name: 'Mobil TRC BPBD 2', deviceType: 'tracker', assetType: 'vehicle', opd: 'BPBD', at: near('16.05.09', 0.01, 0), district: '16.05.09' },
  { label: 'demo:ambulans-1', kind: 'vehicle', name: 'Ambulans RSUD Beliti', deviceType: 'tracker', assetType: 'vehicle', opd: 'DINKES', at: near('16.05.09', 0.02, 0.01), district: '16.05.09' },
  { label: 'demo:damkar-1', kind: 'vehicle', name: 'Mobil Pemadam 1', deviceType: 'tracker', assetType: 'vehicle', opd: 'DAMKAR', at: near('16.05.12', 0, 0), district: '16.05.12' },
];

/** Facilities without sensors: one puskesmas and one school per kecamatan, markets and bridges. */
export function demoFacilities(names: Record<string, string>) {
  const out: { type: string; name: string; opd: string; at: [number, number]; district: string }[] = [];
  for (const code of Object.keys(KECAMATAN_CENTRES)) {
    const name = names[code] ?? code;
    out.push({ type: 'puskesmas', name: `Puskesmas ${name}`, opd: 'DINKES', at: near(code, 0.004, 0.006), district: code });
    out.push({ type: 'school', name: `SMP Negeri ${name}`, opd: 'DISDIK', at: near(code, -0.006, -0.004), district: code });
  }
  out.push({ type: 'market', name: 'Pasar Muara Beliti', opd: 'DISHUB', at: near('16.05.09', 0.003, -0.003), district: '16.05.09' });
  out.push({ type: 'market', name: 'Pasar Tugumulyo', opd: 'DISHUB', at: near('16.05.01', 0.003, 0.002), district: '16.05.01' });
  out.push({ type: 'market', name: 'Pasar Muara Kelingi', opd: 'DISHUB', at: near('16.05.03', -0.004, 0.003), district: '16.05.03' });
  out.push({ type: 'bridge', name: 'Jembatan Sungai Kelingi', opd: 'PUPR', at: [103.19, -3.086], district: '16.05.03' });
  out.push({ type: 'bridge', name: 'Jembatan Sungai Beliti', opd: 'PUPR', at: onTributary('Sungai Beliti', 1), district: '16.05.09' });
  out.push({ type: 'office', name: 'RSUD Beliti (perkiraan lokasi)', opd: 'DINKES', at: near('16.05.09', 0.02, 0.012), district: '16.05.09' });
  return out;
}

/**
 * Loads the demo into an empty region once (OPDs, assets, devices, rules, map
 * layers) and, on every start, gives the simulator fresh tokens for its devices
 * (a device's token is shown only once, so the demo issues new ones).
 */
export async function seedDemo(deps: { identity: IdentityService; assets: AssetsService; devices: DevicesService; rules: RulesService; incidents?: IncidentsService; duty?: DutyService; profiles?: ProfilesService }, admin: Principal): Promise<Map<string, { id: string; token: string; device: DemoDevice }>> {
  const { identity, assets, devices, rules } = deps;
  const names = Object.fromEntries((await identity.listDistricts(admin.regionId)).map((d) => [d.code, d.name]));
  const opds = new Map((await identity.listOpds(admin)).map((o) => [o.code, o.id]));
  for (const opd of DEMO_OPDS) if (!opds.has(opd.code)) opds.set(opd.code, (await identity.createOpd(admin, opd)).id);

  const existing = new Map<string, string>();
  for (let cursor: string | undefined, page; (page = await devices.list(admin, {}, 1000, cursor)); ) {
    for (const d of page.items) if (d.label?.startsWith('demo:')) existing.set(d.label, d.id);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const firstRun = existing.size === 0;
  // The real geography, also for a demo loaded while its shapes were still drawn by hand (it has no regency layer).
  if (firstRun || !(await identity.layers(admin)).some((l) => l.key === 'regency')) await putGeography(identity, admin);
  if (firstRun) {
    await identity.updateRegion(admin, { offlineAfterMinutes: 3 });
    await identity.putLayer(admin.regionId, 'hotspots', { name: { id: 'Titik panas karhutla (contoh)', en: 'Fire hotspots (sample)' }, approximate: true, geojson: hotspotPoints() });
    for (const f of demoFacilities(names)) {
      await assets.create(admin, { type: f.type, name: f.name, opdId: opds.get(f.opd)!, geometry: { type: 'Point', coordinates: f.at }, districtCode: f.district, attributes: { approximateLocation: true } });
    }
  }
  // Every demo type gets its profile (labels, units, ranges, commands), also in a demo loaded before profiles existed.
  if (deps.profiles) {
    for (const profile of DEMO_PROFILES) {
      const stored = await deps.profiles.forType(admin.regionId, profile.type);
      if (!stored) await deps.profiles.create(admin, profile);
      // The pollutant's name is PM2.5 in both languages (ISPU writes it so), not a number: an older demo wrote PM2,5.
      else if (stored.keys.some((k) => k.label.id === 'PM2,5')) {
        const keys = stored.keys.map((k) => (k.label.id === 'PM2,5' ? { ...k, label: { ...k.label, id: 'PM2.5' } } : k));
        await deps.profiles.update(admin, stored.id, { type: stored.type, name: stored.name, keys });
      }
    }
  }
  const out = new Map<string, { id: string; token: string; device: DemoDevice }>();
  for (const d of DEMO_DEVICES) {
    let id = existing.get(d.label);
    let token: string;
    if (id === undefined) {
      const asset = await assets.create(admin, { type: d.assetType, name: d.name, opdId: opds.get(d.opd)!, geometry: { type: 'Point', coordinates: d.at }, districtCode: d.district, attributes: { approximateLocation: true } });
      const created = await devices.create(admin, { name: d.name, type: d.deviceType, label: d.label, assetId: asset.id });
      id = created.id;
      token = created.accessToken;
    } else {
      token = (await devices.regenerateToken(admin, id)).accessToken;
    }
    out.set(d.label, { id, token, device: d });
  }
  if (firstRun) {
    const rule = (body: Parameters<RulesService['create']>[1]) => rules.create(admin, body);
    // An action is an open object, each kind with its own fields (the service checks them): BPBD's incident at Awas.
    const incidentAtAwas = { type: 'incident', opdId: opds.get('BPBD')!, categoryCode: 'flooding', minSeverity: 'awas' };
    // One rule per hazard: its alarm's level (severity) rises and falls with the reading, each level with its own hysteresis.
    await rule({
      name: 'Banjir sungai',
      target: { kind: 'device_type', value: 'river_gauge' },
      key: 'waterLevel',
      levels: [
        { severity: 'waspada', condition: { op: 'gt', value: 3.0 }, clearCondition: { op: 'lt', value: 2.8 } },
        { severity: 'siaga', condition: { op: 'gt', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
        { severity: 'awas', condition: { op: 'gt', value: 4.0 }, clearCondition: { op: 'lt', value: 3.8 } },
      ],
      durationSeconds: 60,
      // At Awas, BPBD gets an incident to handle, not only an alarm.
      ...(deps.incidents && { actions: [incidentAtAwas] }),
    });
    await rule({
      name: 'Kabut asap (PM2.5)',
      target: { kind: 'asset_type', value: 'air_quality' },
      key: 'pm25',
      levels: [
        // ISPU: PM2.5 above 150 µg/m³ is "sangat tidak sehat", above 250 "berbahaya".
        { severity: 'siaga', condition: { op: 'gt', value: 150 }, clearCondition: { op: 'lt', value: 100 } },
        { severity: 'awas', condition: { op: 'gt', value: 250 }, clearCondition: { op: 'lt', value: 200 } },
      ],
      durationSeconds: 120,
    });
    if (deps.incidents) await seedDemoIncidents(deps.incidents, admin);
    if (deps.duty) await seedDemoDuty(identity, deps.duty, admin, opds);
  }
  // Also in a demo loaded before rules could send commands; pumps need their profile's command for it.
  if (deps.profiles) await seedPolderPumpRule(rules, admin, out);
  return out;
}

/** The regency, its kecamatan, the Musi (real shapes) and the tributaries (hand-drawn, so marked approximate). */
async function putGeography(identity: IdentityService, admin: Principal): Promise<void> {
  await identity.putLayer(admin.regionId, 'regency', { name: { id: 'Batas kabupaten', en: 'Regency boundary' }, approximate: false, geojson: regencyOutline() });
  await identity.putLayer(admin.regionId, 'kecamatan', { name: { id: 'Batas kecamatan', en: 'Kecamatan boundaries' }, approximate: false, geojson: kecamatanPolygons() });
  await identity.putLayer(admin.regionId, 'rivers', { name: { id: 'Sungai Musi', en: 'Musi River' }, approximate: false, geojson: musiLine() });
  await identity.putLayer(admin.regionId, 'tributaries', { name: { id: 'Anak sungai (perkiraan)', en: 'Tributaries (approximate)' }, approximate: true, geojson: tributaryLines() });
}

/** The rule of the Tugumulyo polder: its name, by which a start finds it made already. */
export const POLDER_RULE_NAME = 'Banjir polder Tugumulyo: pompa 2';

/**
 * Level Awas at the Tugumulyo polder (the Kelingi gauge there, at the same
 * threshold as the river rule's Awas) → start pump 2 of the polder, once an
 * operator of PUPR (the pump's OPD) or an admin confirms it on the alarm.
 */
async function seedPolderPumpRule(rules: RulesService, admin: Principal, devices: Map<string, { id: string }>): Promise<void> {
  const gauge = devices.get('demo:pda-kelingi-tugumulyo');
  const pump = devices.get('demo:pompa-tugumulyo-2');
  if (!gauge || !pump) return;
  for (let cursor: string | undefined, page; (page = await rules.list(admin, 200, cursor)); ) {
    if (page.items.some((r) => r.name === POLDER_RULE_NAME)) return;
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const startPump: CommandActionConfig = { type: 'command', deviceId: pump.id, method: 'setPower', params: { on: true }, confirm: true, minSeverity: 'awas' };
  await rules.create(admin, {
    name: POLDER_RULE_NAME,
    target: { kind: 'device', value: gauge.id },
    key: 'waterLevel',
    levels: [{ severity: 'awas', condition: { op: 'gt', value: 4.0 }, clearCondition: { op: 'lt', value: 3.8 } }],
    durationSeconds: 60,
    actions: [startPump],
  });
}

/**
 * BPBD round the clock (07–15, 15–23, 23–07 every day, three people taking
 * turns), DLH in office hours (Senin–Jumat 07.30–16.00, two people), and the
 * Kabid, Kalaksa and Sekda the default escalation reaches.
 */
async function seedDemoDuty(identity: IdentityService, duty: DutyService, admin: Principal, opds: Map<string, string>): Promise<void> {
  const ids = new Map<string, string>();
  for (const person of DEMO_PEOPLE) {
    const user = await identity.createUser(admin, { email: `${person.key}@demo.musirawas.go.id`, name: person.name, password: randomBytes(18).toString('base64url'), role: person.role, opdId: opds.get(person.opd)!, position: person.position });
    ids.set(person.key, user.id);
  }
  const bpbd = ['piket1.bpbd', 'piket2.bpbd', 'piket3.bpbd'];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (const [k, [start, end]] of ([['07:00', '15:00'], ['15:00', '23:00'], ['23:00', '07:00']] as const).entries()) {
      await duty.createShift(admin, opds.get('BPBD')!, { weekday, start, end, userId: ids.get(bpbd[(weekday + k) % 3]!)! });
    }
  }
  for (let weekday = 1; weekday <= 5; weekday++) {
    await duty.createShift(admin, opds.get('DLH')!, { weekday, start: '07:30', end: '16:00', userId: ids.get(weekday % 2 === 0 ? 'piket2.dlh' : 'piket1.dlh')! });
  }
}

/** A handful of citizen reports in different states, so the inbox, ticket page, public map, moderation queue and SLA overview show something. */
async function seedDemoIncidents(incidents: IncidentsService, admin: Principal): Promise<void> {
  const reports: { category: string; district: string; d: [number, number]; text: string; address: string; attributes?: Record<string, string>; steps: ('assign' | 'in_progress' | 'resolved')[]; update?: string; daysAgo?: number }[] = [
    { category: 'roads', district: '16.05.09', d: [0.004, -0.002], text: 'Gorong-gorong di depan SD runtuh, jalan amblas setengah badan jalan.', address: 'Jl. Lintas Sumatera, Muara Beliti', attributes: { passable: 'partly' }, steps: [], daysAgo: 8 },
    { category: 'street_lights', district: '16.05.01', d: [-0.003, 0.002], text: 'Tiga lampu PJU mati berturut-turut sejak seminggu, jalan gelap malam hari.', address: 'Jl. Poros Tugumulyo', steps: ['assign'], update: 'Laporan diterima, tim Dishub dijadwalkan memeriksa minggu ini.' },
    { category: 'waste', district: '16.05.03', d: [0.002, 0.003], text: 'Sampah menumpuk di TPS pasar, belum diangkut tiga hari.', address: 'Pasar Muara Kelingi', steps: ['assign', 'in_progress'], update: 'Truk pengangkut dikirim hari ini.' },
    { category: 'fallen_trees', district: '16.05.12', d: [-0.002, -0.001], text: 'Pohon tumbang menutup sebagian jalan desa setelah hujan angin.', address: 'Desa Megang Sakti', steps: ['assign', 'in_progress', 'resolved'], update: 'Pohon sudah dipotong dan jalan dibersihkan.' },
    { category: 'flooding', district: '16.05.03', d: [0.006, 0.001], text: 'Air sungai naik, beberapa rumah di tepi Sungai Kelingi tergenang.', address: 'Kelurahan Muara Kelingi', attributes: { water_depth_cm: '40' }, steps: ['assign'] },
    { category: 'other', district: '16.05.11', d: [0.001, 0.001], text: 'Papan nama desa roboh dan menghalangi trotoar.', address: 'Desa Selangit', steps: [] },
  ];
  for (const r of reports) {
    const [lon, lat] = near(r.district, r.d[0], r.d[1]);
    const { incident } = await incidents.fileReport(admin.regionId, {
      categoryCode: r.category,
      description: r.text,
      lon,
      lat,
      address: r.address,
      reporter: { name: 'Warga (contoh)', phone: null, email: null },
      photoIds: [],
      mediaUrl: null,
      attributes: r.attributes ?? {},
      apiKeyId: null,
      // filed a week ago and never routed: the SLA overview shows what past due looks like
      ...(r.daysAgo !== undefined && { filedAt: incidents.now() - r.daysAgo * 86_400_000 }),
    });
    if (incident.opdId === null && r.steps.length > 0) continue;
    // the handled ones were approved for the public map; the new ones wait in the moderation queue
    if (r.steps.length > 0) await incidents.decidePublication(admin, incident.id, { publication: 'published' });
    for (const step of r.steps) {
      if (step === 'assign') await incidents.assign(admin, incident.id, {});
      else await incidents.setStatus(admin, incident.id, step);
      if (step === 'assign' && r.update) await incidents.addUpdate(admin, incident.id, { text: r.update, public: true });
    }
  }
}
