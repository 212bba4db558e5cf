/**
 * Shared setup of the master plan collaboration and document tests: OPDs, users
 * of each standing, and programs created through MP-CORE's API.
 */
import assert from 'node:assert/strict';
import { newId } from '../src/core/ids.ts';
import type { TestServer } from './helpers.ts';

export const PASSWORD = 'Rahasia-Tim-2026';

export async function makeOpd(server: TestServer, admin: string, code: string, name: string): Promise<string> {
  const res = await server.api('POST', '/api/v1/opds', { token: admin, body: { code, name } });
  if (res.status === 409) {
    // seeded with the region (DISKOMINFO, …)
    const list = await server.api('GET', '/api/v1/opds', { token: admin });
    return list.body.find((o: any) => o.code === code).id;
  }
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

export async function makeUser(server: TestServer, admin: string, email: string, role: 'admin' | 'operator' | 'viewer', opdId: string | null): Promise<{ id: string; token: string }> {
  const res = await server.api('POST', '/api/v1/users', { token: admin, body: { email, name: email.split('@')[0], password: PASSWORD, role, opdId } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, token: await server.login(email, PASSWORD) };
}

export interface ProgramSeed {
  opdId: string;
  code: string;
  name: string;
  budget: number;
  year: number;
  document?: string;
  dimensionKey?: string | null;
  elementKey?: string | null;
  horizon?: 'short' | 'medium' | 'long' | null;
  roadmapYear?: number | null;
  indicator?: string;
  target?: string;
  unit?: string;
}

/** Creates programs through MP-CORE's API (POST, then PATCH for the mapping); returns their ids in order. */
export async function makePrograms(server: TestServer, admin: string, seeds: ProgramSeed[]): Promise<string[]> {
  const ids: string[] = [];
  for (const s of seeds) {
    const body = { document: s.document ?? 'RKPD', indicator: s.indicator ?? '', target: s.target ?? '', unit: s.unit ?? '', location: '', opdId: s.opdId, code: s.code, name: s.name, budget: s.budget, year: s.year };
    const res = await server.api('POST', '/api/v1/masterplan/programs', { token: admin, body });
    assert.equal(res.status, 201, `POST /programs: ${JSON.stringify(res.body)}`);
    const id = res.body.id as string;
    const patch = { dimensionKey: s.dimensionKey ?? null, elementKey: s.elementKey ?? null, horizon: s.horizon ?? null, roadmapYear: s.roadmapYear ?? null };
    const patched = await server.api('PATCH', `/api/v1/masterplan/programs/${id}`, { token: admin, body: patch });
    assert.equal(patched.status, 200, `PATCH /programs: ${JSON.stringify(patched.body)}`);
    ids.push(id);
  }
  return ids;
}

export async function reviewStatus(server: TestServer, id: string): Promise<string> {
  const db = server.app.services.database.db as any;
  const row = await db.selectFrom('mp_programs').select('review_status').where('id', '=', id).executeTakeFirst();
  return row.review_status;
}

/** A multipart/form-data body with one file. */
export function multipart(field: string, filename: string, bytes: Buffer, contentType = 'application/octet-stream'): { raw: Buffer; headers: Record<string, string> } {
  const boundary = `----cerdas${Math.random().toString(36).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { raw: Buffer.concat([head, bytes, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A small but real PDF. */
export const TINY_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/**
 * The plan, a readiness assessment with SWOT and a KPI with yearly targets, written into MP-CORE's
 * tables (mp_plans, mp_readiness, mp_swot, mp_kpis, mp_kpi_values); false when they are not there.
 */
export async function seedPlanTables(server: TestServer, regionId: string, programId: string): Promise<void> {
  const db = server.app.services.database.db as any;
  const now = Date.now();
  await db.insertInto('mp_plans').values({ region_id: regionId, title: 'Masterplan Smart City Kabupaten Musi Rawas 2026–2030', vision: 'Musi Rawas Cerdas, Melayani dan Sejahtera', missions: JSON.stringify(['Mewujudkan layanan publik digital yang terpadu', 'Menumbuhkan ekonomi daerah berbasis potensi lokal']), policy_directions: JSON.stringify(['Penerapan SPBE di seluruh OPD']), period_start: 2026, period_end: 2030, updated_by: null, updated_at: now }).execute();
  const items = [
    ['struktur', 'sdm', 'ST-01', 'Jumlah ASN bersertifikat TIK', 2, 4],
    ['struktur', 'keuangan', 'ST-02', 'Anggaran TIK terhadap APBD', 1, 3],
    ['infrastruktur', 'digital', 'IN-01', 'Jaringan intra pemerintah', 3, 4],
    ['suprastruktur', 'regulasi', 'SU-01', 'Peraturan Bupati tentang smart city', 4, 4],
  ] as const;
  for (const [element, sub, code, q, score, target] of items) {
    await db.insertInto('mp_readiness').values({ region_id: regionId, year: 2025, element, sub_key: sub, code, question_id: q, question_en: q, score, target, note: '', updated_at: now }).execute();
  }
  await db.insertInto('mp_swot').values({ region_id: regionId, year: 2025, element: 'struktur', strengths: JSON.stringify(['Komitmen Bupati']), weaknesses: JSON.stringify(['SDM TIK terbatas']), opportunities: JSON.stringify(['Gerakan Menuju 100 Smart City']), threats: JSON.stringify(['Serangan siber']), updated_at: now }).execute();
  const kpi = newId();
  await db.insertInto('mp_kpis').values({ id: kpi, region_id: regionId, program_id: programId, dimension_key: null, element_key: null, name: 'Desa terhubung internet', unit: 'desa', baseline: 40, direction: 'up', metric: null, opd_id: null, created_at: now, updated_at: now }).execute();
  await db.insertInto('mp_kpi_values').values([{ kpi_id: kpi, year: 2026, target: 120, actual: null, source: 'manual', computed_at: null }, { kpi_id: kpi, year: 2027, target: 199, actual: null, source: 'manual', computed_at: null }]).execute();
}

/**
 * The demo plan for the document tests: the OPDs the sample RKPD names (the
 * Diskominfo comes with the region), the sample RKPD mapped, the readiness, the
 * collaboration and evaluation, and (`initiatives`) the demo's initiatives.
 */
export async function seedDemoPlan(server: TestServer, admin: string, options: { initiatives: boolean }): Promise<string> {
  const region = (await server.api('GET', '/api/v1/region', { token: admin })).body.id as string;
  for (const [code, name] of [['DINKES', 'Dinas Kesehatan'], ['DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang'], ['DLH', 'Dinas Lingkungan Hidup'], ['BPBD', 'Badan Penanggulangan Bencana Daerah'], ['DISHUB', 'Dinas Perhubungan'], ['DISDIK', 'Dinas Pendidikan']] as const) {
    await makeOpd(server, admin, code, name);
  }
  const { seedMasterplanDemo, seedCollaborationDemo } = await import('../src/modules/masterplan/index.ts');
  const { masterplan, masterplanCollaboration, masterplanDiscussion, masterplanEvaluation, masterplanInitiatives } = server.app.services;
  await seedMasterplanDemo(masterplan, region, { withPrograms: true, ...(options.initiatives && { initiatives: masterplanInitiatives }) });
  await seedCollaborationDemo(masterplanCollaboration, masterplanDiscussion, masterplanEvaluation, region);
  return region;
}
