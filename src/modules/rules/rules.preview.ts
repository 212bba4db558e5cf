/**
 * The editor's preview: how often a rule, as it is being edited, would have
 * fired over the last days of stored telemetry of the devices it targets. The
 * rule is checked as on saving (but not its actions, which do nothing here);
 * reading is bounded by points, devices and time, and the answer says when a
 * bound stopped it. Points are read by device id and time on either database,
 * so both give the same answer for the same data.
 */
import type { Clock } from '../../core/clock.ts';
import { requireRole, type Principal } from '../identity/index.ts';
import type { PreviewFiring, RulePreview, RulePreviewBody } from './rules.contract.ts';
import { PREVIEW_DAYS, PREVIEW_LIMITS, PREVIEW_MAX_FIRINGS, type PreviewStop } from './rules.constants.ts';
import type { PreviewRepository } from './rules.preview.repository.ts';
import type { RulesService } from './rules.service.ts';
import { levelsOf } from './rules.service.ts';
import { simulateLevels, simulateSilence } from './rules.simulate.ts';

export interface PreviewLimits {
  /** points read at most, over all devices */
  maxRows: number;
  /** devices looked at at most */
  maxDevices: number;
  /** ms of reading at most */
  budgetMs: number;
}

/** Points read per query: small enough to check the budget often, large enough to cost few round trips. */
const PAGE = 5000;
const DAY_MS = 86_400_000;

export class RulesPreview {
  private readonly repo: PreviewRepository;
  private readonly rules: RulesService;
  private readonly clock: Clock;
  private readonly limits: PreviewLimits;
  /** the wall clock the budget is measured on (the injected clock may stand still in tests) */
  private readonly elapsed: () => number;
  constructor(repo: PreviewRepository, rules: RulesService, clock: Clock, limits: Partial<PreviewLimits> = {}, elapsed: () => number = () => performance.now()) {
    this.repo = repo;
    this.rules = rules;
    this.clock = clock;
    this.limits = { ...PREVIEW_LIMITS, ...limits };
    this.elapsed = elapsed;
  }

  async preview(p: Principal, body: RulePreviewBody): Promise<RulePreview> {
    requireRole(p, 'admin', 'operator');
    const started = this.elapsed();
    const rule = await this.rules.validate(p, { ...body.rule, actions: [] });
    const levels = levelsOf(rule);
    const to = this.clock.now();
    const from = to - Math.min(body.days ?? PREVIEW_DAYS, PREVIEW_DAYS) * DAY_MS;
    const found = await this.repo.devices({ ...rule, region_id: p.regionId }, this.limits.maxDevices + 1);
    let stoppedBy: PreviewStop | null = found.length > this.limits.maxDevices ? 'devices' : null;
    const devices = found.slice(0, this.limits.maxDevices);
    const firings: PreviewFiring[] = [];
    const read = { rows: 0, started };
    let looked = 0;
    const first = levels[0]!;
    for (const device of devices) {
      const { points, stop } = await this.readDevice(device.id, rule.key, from, to, read);
      // A device read only in part is not judged on that part: the counts cover whole devices.
      if (stop !== null) {
        stoppedBy = stop;
        break;
      }
      looked++;
      const alarms =
        first.condition.op === 'silence'
          ? simulateSilence(first.severity, first.condition.minutes, [...new Set(points.map((x) => x.ts))].sort((a, b) => a - b), to)
          : simulateLevels(levels, rule.duration_ms, points.filter((x): x is { ts: number; value: number } => x.value !== null), to);
      for (const a of alarms) firings.push({ deviceId: device.id, deviceName: device.name, deviceType: device.type, ...a });
    }
    firings.sort((a, b) => a.openedAt - b.openedAt || a.deviceId.localeCompare(b.deviceId));
    return { from, to, devices: looked, readings: read.rows, fired: firings.length, firings: firings.slice(0, PREVIEW_MAX_FIRINGS), stoppedBy };
  }

  /** A device's points of the key in the window, oldest first per series, or why reading stopped (the rows or time bound). */
  private async readDevice(deviceId: string, key: string, from: number, to: number, read: { rows: number; started: number }): Promise<{ points: { ts: number; value: number | null }[]; stop: PreviewStop | null }> {
    const points: { ts: number; value: number | null }[] = [];
    for (const seriesId of await this.repo.series(deviceId, key)) {
      let after = from - 1;
      for (;;) {
        const room = this.limits.maxRows - read.rows;
        if (this.elapsed() - read.started > this.limits.budgetMs) return { points, stop: 'time' };
        // One more than there is room for tells a window that fits from one the cap cuts short.
        const want = Math.min(PAGE, room + 1);
        const page = await this.repo.points(seriesId, after, to, want);
        if (page.length > room) {
          read.rows += room;
          return { points, stop: 'rows' };
        }
        read.rows += page.length;
        for (const row of page) points.push({ ts: Number(row.ts), value: row.num === null ? null : Number(row.num) });
        if (page.length < want) break;
        after = Number(page[page.length - 1]!.ts);
      }
    }
    return { points, stop: null };
  }
}
