import type { Transaction } from 'kysely';
import { PeriodicJob, type JobLog } from '../../core/periodic-job.ts';
import type { Schema } from '../../platform/db/index.ts';
import type { IncidentSeverity } from './incidents.contract.ts';
import type { IncidentRecords } from './incidents.records.ts';

/** An incident whose SLA stage just ran past its due time (route or follow-up). */
export interface IncidentBreach {
  id: string;
  regionId: string;
  opdId: string | null;
  severity: IncidentSeverity;
  stage: string | null;
  /** ms since epoch, UTC */
  dueAt: number | null;
}
/** Work another module does inside the transaction that marks breaches (the notifications' escalation). */
export type IncidentBreachHook = (tx: Transaction<Schema>, breaches: IncidentBreach[]) => Promise<void>;

/** The SLA's clock: marks stages that ran past due (with the breach hooks) and closes resolved reports whose reporter stayed silent. */
export class SlaClock {
  private readonly records: IncidentRecords;
  private readonly breachHooks: IncidentBreachHook[] = [];
  constructor(records: IncidentRecords) {
    this.records = records;
  }

  /** Work another module does in the transaction that marks SLA breaches (the escalation); throwing rolls the marks back. */
  onBreach(hook: IncidentBreachHook): () => void {
    this.breachHooks.push(hook);
    return () => this.breachHooks.splice(this.breachHooks.indexOf(hook), 1);
  }

  /**
   * Closes resolved incidents whose reporter stayed silent for the category's close days (10 by default),
   * and marks stages that ran past due. Returns the number closed.
   */
  async tick(): Promise<number> {
    const now = this.records.now();
    await this.records.repo.markBreaches(now, this.breachHooks.length === 0 ? undefined : async (tx, rows) => {
      const breaches = rows.map((r) => ({ id: r.id, regionId: r.region_id, opdId: r.opd_id, severity: r.severity as IncidentSeverity, stage: r.sla_stage, dueAt: r.sla_due_at }));
      for (const hook of [...this.breachHooks]) await hook(tx, breaches);
    });
    let closed = 0;
    for (const row of await this.records.repo.dueForClose(now)) {
      const events = [this.records.event(row, 'auto_closed', null, true, null, 'resolved', 'closed', now)];
      const ok = await this.records.repo.update(
        // Only if still due: an answer since the list was read moved the due time on.
        [{ id: row.id, expectStatus: 'resolved', expectDueBy: now, patch: { status: 'closed', closed_at: now, updated_at: now, sla_stage: null, sla_started_at: null, sla_due_at: null } }],
        events,
        undefined,
        this.records.within([row], events),
      );
      if (ok) {
        closed++;
        this.records.publishUpdated(row.region_id, row.id);
      }
    }
    return closed;
  }
}

/** The SLA tick (auto-close of silent resolved incidents, escalation of overdue ones) as a periodic job; runs at start too. */
export class IncidentSlaJob extends PeriodicJob {
  constructor(incidents: Pick<SlaClock, 'tick'>, log: JobLog, everyMs = 600_000) {
    super({ name: 'incident SLA job', everyMs, runAtStart: true, run: () => incidents.tick(), log });
  }
}
