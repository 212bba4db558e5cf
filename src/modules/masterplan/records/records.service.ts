/**
 * The master plan's records: the regional profile, strategic issues per
 * dimension, the ICT inventory (with the live count of the platform's own
 * devices and assets), strategies from the SWOT and goals per dimension,
 * development plans, the plan's adoption status and appendices. Everyone signed
 * in reads them; reviewers (admins, BAPPEDA/DISKOMINFO, the implementation team)
 * change them; an OPD operator or a viewer does not.
 */
import type { Clock } from '../../../core/clock.ts';
import { AppError } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { EventBus } from '../../../platform/bus/index.ts';
import { ASSET_TYPES } from '../../assets/index.ts';
import type { Principal } from '../../identity/index.ts';
import type { InitiativeAccess, PlanSource } from '../initiatives/index.ts';
import { DIMENSIONS } from '../plan/plan.framework.ts';
import { ICT_KIND_KEYS, PROFILE_INDICATORS, QUADRANT_KEYS, type ProfileKey } from './records.constants.ts';
import type { AdoptionBody, PlatformCount, ProfileValueBody, Records } from './records.contract.ts';
import { ENTRY_WORDS, patchOf, rowOf, TABLE_OF, type Bodies, type EntryChecks, type ListName } from './records.entries.ts';
import type { RecordsRepository } from './records.repository.ts';

/** What the records read of the platform's own devices and assets (their modules' public services). */
interface PlatformSource {
  onlineCount(regionId: string): Promise<{ total: number; online: number }>;
  countsByType(regionId: string): Promise<{ type: string; count: number }[]>;
}
/** The commitment sheets (collaboration), whose uploaded scans appendices link to. */
interface CommitmentSource { commitmentsOf(regionId: string): Promise<{ id: string; file: { url: string; contentType: string } | null }[]> }
/** The OPDs: checked when named, their codes shown. */
interface OpdSource {
  assertOpd(regionId: string, opdId: string): Promise<unknown>;
  opdsByIds(regionId: string, ids: string[]): Promise<{ id: string; code: string }[]>;
}

const notFound = (list: ListName, id: string) => new AppError('MP_RECORD_NOT_FOUND', `no ${list} entry ${id}`);
const dimensionOrder = new Map(DIMENSIONS.map((d, i) => [d.key, i]));
const byDimension = (a: { dimension_key: string | null }, b: { dimension_key: string | null }) => (dimensionOrder.get(a.dimension_key ?? '') ?? 99) - (dimensionOrder.get(b.dimension_key ?? '') ?? 99);

export class RecordsService {
  readonly repo: RecordsRepository;
  private readonly checks: EntryChecks;
  private readonly plans: PlanSource;
  private readonly access: InitiativeAccess;
  private readonly opds: OpdSource;
  private readonly commitments: CommitmentSource;
  private readonly platform: PlatformSource;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  constructor(repo: RecordsRepository, plans: PlanSource, access: InitiativeAccess, opds: OpdSource, commitments: CommitmentSource, platform: PlatformSource, bus: EventBus, clock: Clock) {
    this.repo = repo;
    this.plans = plans;
    this.access = access;
    this.opds = opds;
    this.commitments = commitments;
    this.platform = platform;
    this.bus = bus;
    this.clock = clock;
    this.checks = { plans, assertOpd: (r, id) => opds.assertOpd(r, id), commitments: (r) => commitments.commitmentsOf(r) };
  }

  /** Reviewers change the records; everyone else reads them. */
  async requireEditor(p: Principal): Promise<void> {
    if (await this.access.reviewer(p)) return;
    throw new AppError('FORBIDDEN', 'only admins, BAPPEDA/DISKOMINFO and the implementation team change the master plan records', {
      reason: { id: 'Hanya admin, BAPPEDA/DISKOMINFO dan Tim Pelaksana yang dapat mengubah data rencana induk', en: 'Only admins, BAPPEDA/DISKOMINFO and the implementation team may change the master plan records' },
    });
  }

  private changed(p: Principal, entityId: string | null, action: string, summary: string): void {
    this.bus.publish('masterplan.changed', { regionId: p.regionId, userId: p.userId, entity: 'record', entityId, action, summary });
  }

  /** The platform's own devices and assets, counted (no detail): the live part of the ICT inventory. */
  async platformCount(regionId: string): Promise<PlatformCount> {
    const [devices, assets] = await Promise.all([this.platform.onlineCount(regionId), this.platform.countsByType(regionId)]);
    const named = assets.map((a) => {
      const t = ASSET_TYPES.find((x) => x.type === a.type);
      return { type: a.type, nameId: t?.id ?? a.type, nameEn: t?.en ?? a.type, count: a.count };
    });
    return { devices, assets: named, assetsTotal: named.reduce((s, a) => s + a.count, 0) };
  }

  /** Every record of the region, in the document's order: the screen's and the export's one read. */
  async view(regionId: string): Promise<Records> {
    const r = this.repo;
    const [plan, profile, issues, ict, strategies, goals, development, adoption, appendices, sheets, platform] = await Promise.all([
      this.plans.plan(regionId), r.profile(regionId), r.issues(regionId), r.ict(regionId), r.strategies(regionId), r.goals(regionId), r.developmentPlans(regionId),
      r.adoption(regionId), r.appendices(regionId), this.commitments.commitmentsOf(regionId), this.platformCount(regionId),
    ]);
    const opdIds = [...ict, ...development].flatMap((x) => (x.opd_id ? [x.opd_id] : []));
    const codes = new Map((await this.opds.opdsByIds(regionId, opdIds)).map((o) => [o.id, o.code]));
    const code = (id: string | null) => (id ? codes.get(id) ?? null : null);
    const stamps = (x: { created_at: number; updated_at: number }) => ({ createdAt: Number(x.created_at), updatedAt: Number(x.updated_at) });
    const kindOrder = (list: readonly string[], k: string) => list.indexOf(k);
    return {
      period: { start: plan?.period_start ?? null, end: plan?.period_end ?? null },
      profile: PROFILE_INDICATORS.map((i) => {
        const v = profile.find((x) => x.key === i.key);
        return { key: i.key, group: i.group, value: v ? Number(v.value) : null, year: v?.year ?? null, source: v?.source ?? '', note: v?.note ?? '', updatedAt: v ? Number(v.updated_at) : null };
      }),
      issues: [...issues].sort(byDimension).map((x) => ({ id: x.id, dimensionKey: x.dimension_key, title: x.title, description: x.description, ...stamps(x) })),
      ict: {
        items: [...ict]
          .sort((a, b) => kindOrder(ICT_KIND_KEYS, a.kind) - kindOrder(ICT_KIND_KEYS, b.kind) || a.name.localeCompare(b.name, 'id'))
          .map((x) => ({ id: x.id, kind: x.kind, name: x.name, opdId: x.opd_id, opdCode: code(x.opd_id), status: x.status, description: x.description, ...stamps(x) })),
        platform,
      },
      strategies: [...strategies].sort((a, b) => kindOrder(QUADRANT_KEYS, a.quadrant) - kindOrder(QUADRANT_KEYS, b.quadrant) || byDimension(a, b))
        .map((x) => ({ id: x.id, quadrant: x.quadrant, element: x.element, dimensionKey: x.dimension_key, text: x.text, ...stamps(x) })),
      goals: [...goals].sort(byDimension).map((x) => ({ id: x.id, dimensionKey: x.dimension_key, text: x.text, indicator: x.indicator, target: x.target, ...stamps(x) })),
      developmentPlans: development.map((x) => ({ id: x.id, area: x.area, what: x.what, year: x.year, opdId: x.opd_id, opdCode: code(x.opd_id), status: x.status, note: x.note, ...stamps(x) })),
      adoption: {
        status: adoption?.status ?? 'draft', perbupNumber: adoption?.perbup_number ?? '', perbupDate: adoption?.perbup_date ?? '', rpjmdReference: adoption?.rpjmd_reference ?? '', note: adoption?.note ?? '',
        updatedAt: adoption ? Number(adoption.updated_at) : null,
      },
      appendices: appendices.map((x) => {
        const file = x.commitment_id ? sheets.find((s) => s.id === x.commitment_id)?.file ?? null : null;
        return { id: x.id, kind: x.kind, title: x.title, commitmentId: x.commitment_id, file: file && { url: file.url, contentType: file.contentType }, ...stamps(x) };
      }),
    };
  }

  async putProfile(p: Principal, key: ProfileKey, body: ProfileValueBody): Promise<Records> {
    await this.requireEditor(p);
    const source = body.source.trim();
    if (source === '') throw new AppError('VALIDATION_FAILED', 'a profile value needs its source', { field: 'source', reason: { id: 'Sumber data wajib diisi', en: 'The source is required' } });
    await this.repo.putProfile({ region_id: p.regionId, key, value: body.value, year: body.year, source, note: body.note ?? '', updated_by: p.userId, updated_at: this.clock.now() });
    this.changed(p, key, 'record.profile', `Profil daerah: ${PROFILE_INDICATORS.find((i) => i.key === key)?.nameId ?? key} diisi`);
    return this.view(p.regionId);
  }

  async deleteProfile(p: Principal, key: ProfileKey): Promise<void> {
    await this.requireEditor(p);
    await this.repo.deleteProfile(p.regionId, key);
    this.changed(p, key, 'record.profile', `Profil daerah: ${PROFILE_INDICATORS.find((i) => i.key === key)?.nameId ?? key} dikosongkan`);
  }

  async putAdoption(p: Principal, body: AdoptionBody): Promise<Records> {
    await this.requireEditor(p);
    const number = (body.perbupNumber ?? '').trim();
    const date = body.perbupDate ?? '';
    const rpjmd = (body.rpjmdReference ?? '').trim();
    if (body.status === 'perbup' && (number === '' || date === '')) {
      throw new AppError('VALIDATION_FAILED', 'an adopted plan needs the Perbup\'s number and date', {
        field: 'perbupNumber', reason: { id: 'Nomor dan tanggal Peraturan Bupati wajib diisi untuk status ditetapkan', en: 'The Perbup\'s number and date are required once the plan is adopted' },
      });
    }
    if (body.status === 'rpjmd' && rpjmd === '') {
      throw new AppError('VALIDATION_FAILED', 'a plan integrated into the RPJMD names it', {
        field: 'rpjmdReference', reason: { id: 'Sebutkan RPJMD (Perda) tempat rencana induk diintegrasikan', en: 'Name the RPJMD (its Perda) the plan is integrated into' },
      });
    }
    const day = new Date(`${date}T00:00:00Z`);
    // a date that does not exist (2026-02-31) rolls over to another: it is refused, not moved
    if (date !== '' && (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date)) {
      throw new AppError('VALIDATION_FAILED', `perbupDate ${date} is not a date`, { field: 'perbupDate', reason: { id: `Tanggal ${date} tidak valid`, en: `${date} is not a valid date` } });
    }
    await this.repo.putAdoption({ region_id: p.regionId, status: body.status, perbup_number: number, perbup_date: date, rpjmd_reference: rpjmd, note: body.note ?? '', updated_by: p.userId, updated_at: this.clock.now() });
    this.changed(p, null, 'record.adoption', `Status penetapan rencana induk: ${body.status}`);
    return this.view(p.regionId);
  }

  async create<K extends ListName>(p: Principal, list: K, body: Bodies[K]): Promise<Records> {
    await this.requireEditor(p);
    const now = this.clock.now();
    const entry = await rowOf(this.checks, p, list, body, { id: newId(), region_id: p.regionId, created_at: now, updated_at: now });
    await this.repo.insert(entry);
    this.changed(p, entry.row.id, `record.${list}.created`, `${ENTRY_WORDS[list]} ditambahkan`);
    return this.view(p.regionId);
  }

  async update<K extends ListName>(p: Principal, list: K, id: string, body: Bodies[K]): Promise<Records> {
    await this.requireEditor(p);
    if (!(await this.repo.has(TABLE_OF[list], p.regionId, id))) throw notFound(list, id);
    const entry = await patchOf(this.checks, p, list, body);
    await this.repo.update(p.regionId, id, entry, this.clock.now());
    this.changed(p, id, `record.${list}.updated`, `${ENTRY_WORDS[list]} diubah`);
    return this.view(p.regionId);
  }

  async delete(p: Principal, list: ListName, id: string): Promise<void> {
    await this.requireEditor(p);
    if ((await this.repo.delete(TABLE_OF[list], p.regionId, id)) === 0) throw notFound(list, id);
    this.changed(p, id, `record.${list}.deleted`, `${ENTRY_WORDS[list]} dihapus`);
  }
}
