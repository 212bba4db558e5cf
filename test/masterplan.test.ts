import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import JSZip from 'jszip';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { ok } from './answers.ts';
import { ROOT } from './process.ts';

const PW = 'Rahasia-Pengguna-2026';

for (const dialect of await dialects()) {
  describe(`master plan workspace on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    const opd: Record<string, string> = {};
    const tok: Record<string, string> = {};
    const mp = (method: string, path: string, token: string, body?: unknown) => s.api(method, `/api/v1/masterplan${path}`, { token, ...(body !== undefined && { body }) });
    /** a live KPI's value is computed when the data has landed: refresh until it is there */
    const untilLive = async (kpiId: string, check: (actual: number | null) => boolean) => {
      let actual: number | null = null;
      for (let i = 0; i < 50; i++) {
        ok(await mp('POST', '/kpis/refresh', admin));
        const kpi = ok(await mp('GET', `/kpis/${kpiId}`, admin));
        actual = kpi.values.find((v: any) => v.source === 'live')?.actual ?? null;
        if (check(actual)) return kpi;
        await sleep(100);
      }
      assert.fail(`live KPI never reached the expected value (last ${actual})`);
    };

    before(async () => {
      s = await startServer(dialect);
      admin = await s.login();
      for (const code of ['DINKES', 'DLH', 'BAPPEDA', 'DISHUB']) opd[code] = ok(await s.api('POST', '/api/v1/opds', { token: admin, body: { code, name: `OPD ${code}` } }), 201).id;
      for (const [name, role, o] of [['dinkes', 'operator', 'DINKES'], ['dlh', 'operator', 'DLH'], ['bappeda', 'operator', 'BAPPEDA'], ['viewer', 'viewer', null]] as const) {
        ok(await s.api('POST', '/api/v1/users', { token: admin, body: { email: `${name}@musirawas.go.id`, name, password: PW, role, opdId: o ? opd[o] : null } }), 201);
        tok[name] = await s.login(`${name}@musirawas.go.id`, PW);
      }
    });
    after(() => s.close());

    it('serves the framework: six dimensions of three elements, three readiness elements of three, a bilingual checklist; documented in OpenAPI', async () => {
      const fw = ok(await mp('GET', '/framework', tok.viewer!));
      assert.deepEqual(fw.dimensions.map((d: any) => d.key), ['governance', 'branding', 'economy', 'living', 'society', 'environment']);
      assert.ok(fw.dimensions.every((d: any) => d.elements.length === 3 && d.elements.every((e: any) => e.nameId && e.nameEn)));
      assert.deepEqual(fw.readiness.map((r: any) => [r.key, r.subs.length]), [['struktur', 3], ['infrastruktur', 3], ['suprastruktur', 3]]);
      for (const r of fw.readiness) for (const sub of r.subs) assert.ok(fw.checklist.some((q: any) => q.element === r.key && q.subKey === sub.key && q.questionId && q.questionEn), `${r.key}.${sub.key} has questions`);
      assert.deepEqual(fw.horizons.map((h: any) => [h.key, h.years]), [['short', 1], ['medium', 5], ['long', 10]]);
      const doc = ok((await s.api('GET', '/api/docs/json')) as any);
      for (const path of ['/api/v1/masterplan/programs/import', '/api/v1/masterplan/readiness/compare', '/api/v1/masterplan/kpis/{id}/values/{year}', '/api/v1/masterplan/dashboard', '/api/v1/masterplan/metrics']) {
        const ops = Object.values(doc.paths[path] ?? {}) as any[];
        assert.ok(ops.length > 0, `${path} is documented`);
        assert.ok(ops.every((o) => o.tags?.includes('masterplan') && o.summary), `${path} has the tag and a summary`);
      }
    });

    it('keeps the vision, missions and policy directions; only reviewers change them', async () => {
      assert.equal(ok(await mp('GET', '/plan', admin)).title, '');
      const plan = { title: 'Masterplan Smart City Musi Rawas', vision: 'Musi Rawas cerdas', missions: ['Layanan digital', 'Tangguh bencana'], policyDirections: ['Satu data'], periodStart: 2022, periodEnd: 2032 };
      assert.equal((await mp('PUT', '/plan', tok.dinkes!, plan)).status, 403);
      assert.equal((await mp('PUT', '/plan', tok.viewer!, plan)).status, 403);
      assert.equal((await mp('PUT', '/plan', admin, { ...plan, periodEnd: 2020 })).status, 400);
      ok(await mp('PUT', '/plan', tok.bappeda!, plan), 200);
      const got = ok(await mp('GET', '/plan', tok.viewer!));
      assert.deepEqual({ ...got, updatedAt: undefined }, { ...plan, programmeOwner: null, updatedAt: undefined }, 'the programme owner left to the date');
    });

    it('scores readiness per element (0-100), with target, gap and SWOT, and compares 2021 with 2022', async () => {
      const fresh = ok(await mp('GET', '/readiness?year=2021', admin));
      assert.equal(fresh.saved, false);
      assert.equal(fresh.items.length, 24);
      assert.ok(fresh.items.every((i: any) => i.score === null));
      const items = (score: (element: string) => number) => fresh.items.map((i: any) => ({ code: i.code, score: score(i.element), target: 3, note: '' }));
      const y21 = ok(await mp('PUT', '/readiness/2021', admin, { items: items((e) => (e === 'struktur' ? 1 : 2)), swot: { struktur: { strengths: ['Komitmen Bupati'], weaknesses: ['SDM TIK kurang'] } } }));
      assert.deepEqual(y21.scores, { struktur: 25, infrastruktur: 50, suprastruktur: 50 });
      assert.deepEqual(y21.targets, { struktur: 75, infrastruktur: 75, suprastruktur: 75 });
      assert.deepEqual(y21.gaps, { struktur: 50, infrastruktur: 25, suprastruktur: 25 });
      assert.deepEqual(y21.swot.struktur.strengths, ['Komitmen Bupati']);
      ok(await mp('PUT', '/readiness/2022', tok.bappeda!, { items: items((e) => (e === 'struktur' ? 2 : 3)) }));
      const cmp = ok(await mp('GET', '/readiness/compare?years=2021,2022', tok.viewer!));
      assert.deepEqual(cmp.years.map((y: any) => y.year), [2021, 2022]);
      assert.deepEqual(cmp.delta, { struktur: 25, infrastruktur: 25, suprastruktur: 25 });
      assert.deepEqual(cmp.years[1].years, [2021, 2022]);
      // bad input: a score past 4, an unknown element, an own question without text; and an operator
      assert.equal((await mp('PUT', '/readiness/2023', admin, { items: [{ code: 'S.1.1', score: 5 }] })).status, 400);
      assert.equal((await mp('PUT', '/readiness/2023', admin, { items: [{ code: 'Z.1', element: 'budaya', subKey: 'x', questionId: 'Apa?' }] })).status, 400);
      assert.equal((await mp('PUT', '/readiness/2023', admin, { items: [{ code: 'Z.1', element: 'struktur', subKey: 'sdm' }] })).status, 400);
      assert.equal((await mp('PUT', '/readiness/2023', tok.dinkes!, { items: [] })).status, 403);
      assert.equal(ok(await mp('GET', '/readiness?year=2023', admin)).saved, false, 'nothing half-written');
    });

    let dinkesProgram: any;
    let dlhProgram: any;
    it('maps programs to a dimension and element from suggestions; a person accepts or changes them', async () => {
      dinkesProgram = ok(await mp('POST', '/programs', tok.dinkes!, { code: '1.02.02.2.02.0001', name: 'Pengelolaan Pelayanan Kesehatan Ibu Hamil', document: 'RKPD', year: 2025, budget: 1_100_000_000 }), 201);
      assert.equal(dinkesProgram.opdId, opd.DINKES, 'an operator adds to their own OPD');
      assert.equal(dinkesProgram.level, 'sub_kegiatan');
      assert.deepEqual([dinkesProgram.suggestion.dimensionKey, dinkesProgram.suggestion.elementKey], ['living', 'health']);
      assert.ok(dinkesProgram.suggestion.words.includes('kesehatan'));
      assert.equal(dinkesProgram.dimensionKey, null, 'a suggestion is not a decision');
      assert.deepEqual(ok(await mp('GET', '/programs?dimension=none', admin)).items.map((p: any) => p.id), [dinkesProgram.id], 'the programs still to map');
      const accepted = ok(await mp('PATCH', `/programs/${dinkesProgram.id}`, tok.dinkes!, { dimensionKey: 'living', elementKey: 'health', horizon: 'medium', roadmapYear: 2027 }));
      assert.deepEqual([accepted.dimensionKey, accepted.elementKey, accepted.horizon, accepted.roadmapYear], ['living', 'health', 'medium', 2027]);
      assert.equal((await mp('PATCH', `/programs/${dinkesProgram.id}`, tok.dinkes!, { dimensionKey: 'living', elementKey: 'waste' })).body.error.code, 'VALIDATION_FAILED');
      assert.equal((await mp('PATCH', `/programs/${dinkesProgram.id}`, tok.dinkes!, { dimensionKey: 'smart' })).status, 400);
      assert.equal((await mp('POST', '/programs', tok.dinkes!, { code: '1.02.2', name: 'x', document: 'RKPD', year: 2025 })).status, 400);
      dlhProgram = ok(await mp('POST', '/programs', tok.dlh!, { code: '2.11.11.2.01.0006', name: 'Penyediaan Sarana Pengelolaan Sampah', document: 'RKPD', year: 2025, budget: 1_800_000_000, dimensionKey: 'environment', elementKey: 'waste', horizon: 'short' }), 201);
      // the parent program of the DLH sub kegiatan: its pagu is the sum, not counted twice on the dashboard
      ok(await mp('POST', '/programs', tok.dlh!, { code: '2.11.11', name: 'PROGRAM PENGELOLAAN PERSAMPAHAN', document: 'RKPD', year: 2025, budget: 1_800_000_000, dimensionKey: 'environment' }), 201);
      const found = ok(await mp('GET', '/programs?q=sampah&dimension=environment', tok.viewer!));
      assert.deepEqual(found.items.map((p: any) => p.code).sort(), ['2.11.11', '2.11.11.2.01.0006']);
      // quick wins are records of their own (quickwins/): a program has no quick win flag any more
      assert.equal('quickWin' in found.items[0], false);
      assert.equal('quickWin' in ok(await mp('PATCH', `/programs/${dlhProgram.id}`, tok.dlh!, { quickWin: true })), false, 'an old client\'s flag is ignored');
      assert.deepEqual(ok(await mp('GET', '/programs?dimension=living', admin)).items.map((p: any) => p.id), [dinkesProgram.id]);
      assert.deepEqual(ok(await mp('GET', '/programs?dimension=none', admin)).items, [], 'nothing left to map');
    });

    it('lets an operator edit only their own OPD’s programs and KPIs (403 otherwise); BAPPEDA reviews all', async () => {
      const other = await mp('PATCH', `/programs/${dinkesProgram.id}`, tok.dlh!, { horizon: 'long' });
      assert.equal(other.status, 403);
      assert.equal(other.body.error.code, 'FORBIDDEN');
      assert.equal((await mp('DELETE', `/programs/${dinkesProgram.id}`, tok.dlh!)).status, 403);
      assert.equal((await mp('POST', '/programs', tok.dlh!, { code: '1.02.02', name: 'x', document: 'RKPD', year: 2025, opdId: opd.DINKES })).status, 403);
      assert.equal((await mp('POST', '/kpis', tok.dlh!, { name: 'AKI', programId: dinkesProgram.id })).status, 403);
      assert.equal((await mp('PATCH', `/programs/${dinkesProgram.id}`, tok.viewer!, { horizon: 'long' })).status, 403);
      assert.equal(ok(await mp('GET', `/programs/${dinkesProgram.id}`, tok.dlh!)).horizon, 'medium', 'unchanged');
      assert.equal(ok(await mp('PATCH', `/programs/${dinkesProgram.id}`, tok.bappeda!, { horizon: 'long' })).horizon, 'long');
      const kpi = ok(await mp('POST', '/kpis', tok.dinkes!, { name: 'Cakupan K4', unit: '%', programId: dinkesProgram.id, values: [{ year: 2025, target: 100 }] }), 201);
      assert.equal((await mp('PUT', `/kpis/${kpi.id}/values/2025`, tok.dlh!, { actual: 99 })).status, 403);
      assert.equal((await mp('PATCH', `/kpis/${kpi.id}`, tok.dlh!, { name: 'x' })).status, 403);
      ok(await mp('PUT', `/kpis/${kpi.id}/values/2025`, tok.dinkes!, { actual: 95 }));
      ok(await mp('DELETE', `/kpis/${kpi.id}`, tok.dinkes!), 204);
    });

    it('gives each KPI a status from target and actual with its direction', async () => {
      const up = ok(await mp('POST', '/kpis', admin, { name: 'Persentase puskesmas terakreditasi', unit: '%', direction: 'up', programId: dinkesProgram.id, values: [{ year: 2025, target: 100, actual: 95 }] }), 201);
      assert.equal(up.status, 'at_risk');
      assert.equal(up.dimensionKey, 'living', 'inherits the program’s dimension');
      assert.equal(ok(await mp('PUT', `/kpis/${up.id}/values/2025`, admin, { actual: 50 })).status, 'off_track');
      assert.equal(ok(await mp('PUT', `/kpis/${up.id}/values/2025`, admin, { actual: 100 })).status, 'on_track');
      const down = ok(await mp('POST', '/kpis', admin, { name: 'Timbulan sampah ke TPA', unit: 'ton/hari', direction: 'down', baseline: 60, programId: dlhProgram.id, values: [{ year: 2025, target: 40, actual: 45 }] }), 201);
      assert.equal(down.status, 'at_risk');
      const none = ok(await mp('POST', '/kpis', admin, { name: 'Bank sampah aktif', dimensionKey: 'environment', elementKey: 'waste', values: [{ year: 2025, target: 25 }] }), 201);
      assert.equal(none.status, 'no_data');
      assert.equal((await mp('POST', '/kpis', admin, { name: 'x', metric: { kind: 'weather_magic' } })).body.error.code, 'METRIC_INVALID');
      assert.equal((await mp('POST', '/kpis', admin, { name: 'x', metric: { kind: 'telemetry_mean', params: {} } })).body.error.code, 'METRIC_INVALID');
    });

    it('computes KPIs from live data: street lights online, mean PM2.5 from telemetry sent through the device API, incidents within SLA', async () => {
      const catalogue = ok(await mp('GET', '/metrics', tok.viewer!));
      assert.deepEqual(catalogue.map((m: any) => m.kind).sort(), ['alarms_count', 'devices_online_share', 'incidents_median_resolve_hours', 'incidents_within_sla_share', 'telemetry_mean']);
      const device = async (name: string, type: string, assetType: string) => {
        const asset = ok(await s.api('POST', '/api/v1/assets', { token: admin, body: { type: assetType, name } }), 201);
        return ok(await s.api('POST', '/api/v1/devices', { token: admin, body: { name, type, assetId: asset.id } }), 201) as { id: string; accessToken: string };
      };
      const send = async (token: string, payload: unknown) => assert.equal((await s.api('POST', `/api/v1/${token}/telemetry`, { raw: JSON.stringify(payload), headers: { 'content-type': 'application/json' } })).status, 200);
      const lampA = await device('PJU Simpang Periuk', 'pju_controller', 'street_light');
      await device('PJU Terminal Muara Beliti', 'pju_controller', 'street_light');
      const air = await device('AQMS Muara Beliti', 'air_quality', 'air_quality');

      const online = ok(await mp('POST', '/kpis', admin, { name: 'PJU menyala (daring)', unit: '%', dimensionKey: 'living', elementKey: 'mobility', metric: { kind: 'devices_online_share', params: { assetType: 'street_light' } } }), 201);
      assert.equal(online.values[0].actual, 0, 'no street light has reported yet');
      await send(lampA.accessToken, { power_w: 40 });
      await untilLive(online.id, (v) => v === 50);

      const now = Date.now();
      await send(air.accessToken, [{ ts: now - 3 * 3_600_000, values: { pm25: 30 } }, { ts: now - 2 * 3_600_000, values: { pm25: 40 } }, { ts: now - 3_600_000, values: { pm25: 50 } }]);
      const pm = ok(await mp('POST', '/kpis', admin, { name: 'Rata-rata PM2.5 7 hari', unit: 'µg/m³', direction: 'down', dimensionKey: 'environment', elementKey: 'protection', metric: { kind: 'telemetry_mean', params: { key: 'pm25', days: 7 } } }), 201);
      const pmKpi = await untilLive(pm.id, (v) => v === 40);
      const year = pmKpi.values[0].year;
      // a live KPI takes a target; its actual is the platform's
      assert.equal((await mp('PUT', `/kpis/${pm.id}/values/${year}`, admin, { actual: 10 })).status, 400);
      const withTarget = ok(await mp('PUT', `/kpis/${pm.id}/values/${year}`, admin, { target: 35 }));
      assert.deepEqual([withTarget.values[0].actual, withTarget.values[0].target, withTarget.values[0].source, withTarget.status], [40, 35, 'live', 'at_risk']);

      // incidents through IncidentsService.stats(): two street light reports resolved by DISHUB
      for (const d of ['Lampu PJU mati di Simpang Periuk', 'Lampu PJU berkedip di Terminal']) {
        const inc = ok(await s.api('POST', '/api/v1/incidents', { token: admin, body: { categoryCode: 'street_lights', description: d } }), 201);
        ok(await s.api('POST', `/api/v1/incidents/${inc.id}/assign`, { token: admin, body: { opdId: opd.DISHUB } }));
        for (const status of ['in_progress', 'resolved']) ok(await s.api('POST', `/api/v1/incidents/${inc.id}/status`, { token: admin, body: { status } }));
      }
      const sla = ok(await mp('POST', '/kpis', admin, { name: 'Laporan PJU tepat waktu', unit: '%', dimensionKey: 'governance', elementKey: 'service', metric: { kind: 'incidents_within_sla_share', params: { categoryCode: 'street_lights' } } }), 201);
      assert.equal(sla.values[0].actual, 100);
      const median = ok(await mp('POST', '/kpis', admin, { name: 'Median penyelesaian PJU', unit: 'jam', direction: 'down', metric: { kind: 'incidents_median_resolve_hours', params: { categoryCode: 'street_lights' } } }), 201);
      assert.equal(typeof median.values[0].actual, 'number');
      assert.ok(median.values[0].actual >= 0 && median.values[0].actual < 1, 'resolved within the test');
      const alarms = ok(await mp('POST', '/kpis', admin, { name: 'Alarm siaga', direction: 'down', metric: { kind: 'alarms_count', params: { severity: 'siaga' } } }), 201);
      assert.equal(alarms.values[0].actual, 0, 'no alarm was raised: zero alarms, not no data');
      const none = ok(await mp('POST', '/kpis', admin, { name: 'Median banjir', metric: { kind: 'incidents_median_resolve_hours', params: { categoryCode: 'flooding' } } }), 201);
      assert.equal(none.values[0].actual, null, 'no data is no data, not zero');
      assert.equal(none.status, 'no_data');
    });

    it('sums the dashboard per dimension and OPD without counting a program’s pagu twice', async () => {
      // quick wins are records of their own: counted per dimension, those running in the year asked for
      ok(await mp('POST', '/quickwins', admin, { title: 'Bank sampah digital', dimensionKey: 'environment', startMonth: '2025-02', endMonth: '2025-09' }), 201);
      ok(await mp('POST', '/quickwins', admin, { title: 'Antrean puskesmas daring', dimensionKey: 'living', startMonth: '2027-01', endMonth: '2027-08' }), 201);
      const d = ok(await mp('GET', '/dashboard?year=2025', tok.viewer!));
      const env = d.byDimension.find((x: any) => x.key === 'environment');
      assert.equal(env.programs, 2);
      assert.equal(env.quickWins, 1, 'the record');
      assert.equal(d.totals.quickWins, 1, 'the living one runs in 2027');
      assert.equal(ok(await mp('GET', '/dashboard', tok.viewer!)).totals.quickWins, 2, 'over the whole plan');
      assert.equal(env.budget, 1_800_000_000, 'the sub kegiatan only; its program repeats the sum');
      const living = d.byDimension.find((x: any) => x.key === 'living');
      assert.deepEqual([living.programs, living.budget, living.quickWins], [1, 1_100_000_000, 0]);
      assert.equal(living.kpisOnTrack, 1);
      assert.equal(living.progress, 100);
      assert.deepEqual(d.budgetByOpd.map((o: any) => [o.opdCode, o.budget]), [['DLH', 1_800_000_000], ['DINKES', 1_100_000_000]]);
      assert.equal(d.totals.budget, 2_900_000_000);
      const all = ok(await mp('GET', '/kpis?year=2025', admin));
      const count = (st: string) => all.filter((k: any) => k.status === st).length;
      assert.deepEqual(d.kpis, { onTrack: count('on_track'), atRisk: count('at_risk'), offTrack: count('off_track'), noData: count('no_data') });
      assert.ok(Array.isArray(d.evaluationIndex));
    });

    it('tells the activity log of every change (masterplan.changed)', async () => {
      const res = await s.api('GET', '/api/v1/masterplan/activity?limit=200', { token: admin });
      const items = (ok(res).items as any[]).map((a) => a.action);
      for (const action of ['plan.updated', 'readiness.updated', 'program.created', 'program.updated', 'kpi.created']) assert.ok(items.includes(action), `${action} is logged (${items.join(', ')})`);
    });
  });
}

describe('master plan demo (DEMO=1)', () => {
  it('loads the 2021 and 2022 readiness assessments of Musi Rawas, a draft plan, the sample RKPD mapped, and live KPIs, once', async () => {
    const { seedMasterplanDemo } = await import('../src/modules/masterplan/index.ts');
    const [sqlite] = await dialects();
    const s = await startServer(sqlite!);
    try {
      const admin = await s.login();
      const { DEMO_OPDS } = await import('../src/modules/demo/index.ts');
      for (const o of DEMO_OPDS) await s.api('POST', '/api/v1/opds', { token: admin, body: o });
      const [region] = await s.app.services.identity.listRegions();
      assert.equal((await s.api('GET', '/api/v1/masterplan/programs', { token: admin })).body.items.length, 0);
      await seedMasterplanDemo(s.app.services.masterplan, region!.id, { withPrograms: false });
      assert.equal((await s.api('GET', '/api/v1/masterplan/programs', { token: admin })).body.items.length, 0, 'without programs, the import is left to the user');
      // A start that died after importing the sample, before mapping it and adding the KPIs: the next start finishes the job.
      const svc = s.app.services.masterplan;
      const demoAdmin = { regionId: region!.id, userId: 'demo', role: 'admin' as const, opdId: null, email: 'demo' };
      const sample = fs.readFileSync(path.join(ROOT, 'examples', 'rkpd-musi-rawas-2025-SAMPLE.csv'));
      await svc.imports.confirm(demoAdmin, (await svc.imports.preview(demoAdmin, { bytes: sample, filename: 'rkpd.csv' }, 'RKPD', 2025)).importId);
      await seedMasterplanDemo(s.app.services.masterplan, region!.id, { withPrograms: true });
      await seedMasterplanDemo(s.app.services.masterplan, region!.id, { withPrograms: true }); // a restart: nothing doubled or overwritten
      const cmp = (await s.api('GET', '/api/v1/masterplan/readiness/compare?years=2021,2022', { token: admin })).body;
      assert.deepEqual(cmp.years.map((y: any) => [y.year, y.saved, y.items.length]), [[2021, true, 24], [2022, true, 24]]);
      for (const e of ['struktur', 'infrastruktur', 'suprastruktur']) assert.ok(cmp.delta[e] > 0, `${e} improved from 2021 to 2022`);
      assert.ok(cmp.years[1].swot.infrastruktur.threats.length > 0);
      const plan = (await s.api('GET', '/api/v1/masterplan/plan', { token: admin })).body;
      assert.match(plan.title, /Musi Rawas/);
      assert.equal(plan.missions.length, 3);
      const programs = (await s.api('GET', '/api/v1/masterplan/programs?limit=1000', { token: admin })).body.items as any[];
      assert.equal(programs.length, 23, 'the sample RKPD, once');
      const jip = programs.find((p) => p.code === '2.16.03.2.02.0014');
      assert.deepEqual([jip.dimensionKey, jip.horizon], ['governance', 'short']);
      assert.ok(programs.filter((p) => p.dimensionKey !== null).length >= 20, 'mapped as suggested');
      const kpis = (await s.api('GET', '/api/v1/masterplan/kpis', { token: admin })).body as any[];
      assert.deepEqual(kpis.map((k) => k.metric?.kind ?? null), ['devices_online_share', 'telemetry_mean', 'incidents_within_sla_share', null, null, null, null]);
      const entered = kpis.filter((k) => k.metric === null);
      assert.ok(entered.every((k) => k.programId !== null && k.values[0].actual !== null), 'the hand-entered KPIs belong to programs and carry a realisation');
      const dashboard = (await s.api('GET', '/api/v1/masterplan/dashboard', { token: admin })).body;
      assert.equal(dashboard.totals.programs, 23);
      assert.ok(dashboard.kpis.onTrack > 0 && dashboard.kpis.atRisk > 0 && dashboard.kpis.offTrack > 0, `the dashboard shows every KPI state: ${JSON.stringify(dashboard.kpis)}`);
      // The sample lists programs, kegiatan and sub kegiatan: the dashboard and the document count each rupiah once.
      assert.equal(dashboard.totals.budget, 20_800_000_000);
      // Buku I's condition per dimension closes with the same total
      const docx = await fetch(`${s.url}/api/v1/masterplan/export.docx?book=analisis`, { headers: { authorization: `Bearer ${admin}` } });
      const xml = await (await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()))).file('word/document.xml')!.async('string');
      assert.match(xml, /Jumlah<\/w:t>[\s\S]{0,2000}?Rp 20\.800\.000\.000/);
    } finally {
      await s.close();
    }
  });
});
