import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Principal } from '../identity/index.ts';
import type { CommandRequester, CommandSender } from './command.action.ts';
import type { ActionContext } from './rules.actions.ts';
import type { CommandActionConfig, RuleCommand, RuleCommandQuery } from './rule-commands.contract.ts';
import type { RuleCommandRow, RuleCommandsRepository } from './rule-commands.repository.ts';

const toCommand = (r: RuleCommandRow): RuleCommand => ({
  id: r.id,
  alarmId: r.alarm_id,
  ruleId: r.rule_id,
  ruleName: r.rule_name,
  deviceId: r.device_id,
  opdId: r.opd_id,
  method: r.method,
  params: JSON.parse(r.params),
  label: { id: r.label_id, en: r.label_en },
  state: r.state,
  createdAt: Number(r.created_at),
  decidedAt: r.decided_at === null ? null : Number(r.decided_at),
  decidedBy: r.decided_by === null ? null : { userId: r.decided_by, name: r.decided_by_name ?? '' },
  error: r.error,
});

/** An error of the sender, in a few words a person can read in the history (never a stack). */
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * Commands that rules send, and the ones they propose until an operator of the
 * device's OPD (or an admin) confirms or dismisses them — with who did, and when.
 */
export class RuleCommandsService {
  private current: CommandSender | null;
  private readonly repo: RuleCommandsRepository;
  private readonly bus: EventBus;
  private readonly clock: Clock;
  private readonly nameOf: (p: Principal) => Promise<string>;
  /** alarms whose command is being made right now, so that a burst makes one */
  private readonly making = new Set<string>();
  constructor(repo: RuleCommandsRepository, sender: CommandSender | null, bus: EventBus, clock: Clock, nameOf: (p: Principal) => Promise<string>) {
    this.repo = repo;
    this.current = sender;
    this.bus = bus;
    this.clock = clock;
    this.nameOf = nameOf;
  }

  /** How commands reach devices (the RPC module's sender, wired once the RPC module is made). */
  useSender(sender: CommandSender): void {
    this.current = sender;
  }

  /** null: commands to devices are not available (no sender wired). */
  get sender(): CommandSender | null {
    return this.current;
  }

  /** The rule's alarm reached the action's level: propose the command (confirm) or send it now. Once per alarm. */
  async fromRule(config: CommandActionConfig, context: ActionContext): Promise<void> {
    if (this.sender === null) return;
    const params = JSON.stringify(config.params ?? null);
    const once = `${context.alarm.id}:${config.deviceId}:${config.method}:${params}`;
    if (this.making.has(once)) return;
    this.making.add(once);
    try {
      if (await this.repo.exists(context.alarm.id, config.method, params, config.deviceId)) return;
      const found = await this.sender.commandOf(context.regionId, config.deviceId, config.method, config.params);
      const row: RuleCommandRow = {
        id: newId(),
        region_id: context.regionId,
        alarm_id: context.alarm.id,
        rule_id: context.rule.id,
        rule_name: context.rule.name,
        device_id: config.deviceId,
        opd_id: found?.opdId ?? null,
        method: config.method,
        params,
        label_id: found?.command.label.id ?? config.method,
        label_en: found?.command.label.en ?? config.method,
        state: found === null ? 'failed' : config.confirm ? 'pending' : 'sent',
        created_at: this.clock.now(),
        decided_at: null,
        decided_by: null,
        decided_by_name: null,
        error: found === null ? 'the device or its command no longer exists' : null,
      };
      await this.repo.insert(row);
      if (row.state === 'sent') await this.deliver(row, { kind: 'rule', ruleId: row.rule_id, name: context.rule.name });
      else this.publish(row);
    } finally {
      this.making.delete(once);
    }
  }

  /** The alarm cleared: what nobody decided on is no longer proposed. */
  async expireOfAlarm(regionId: string, alarmId: string): Promise<void> {
    for (const row of await this.repo.pendingOfAlarm(alarmId)) {
      const patch = { state: 'expired' as const, decided_at: this.clock.now() };
      if (await this.repo.transition(row.id, 'pending', patch)) this.publish({ ...row, ...patch, region_id: regionId });
    }
  }

  async list(p: Principal, query: RuleCommandQuery): Promise<{ items: RuleCommand[] }> {
    const rows = await this.repo.list(p.regionId, { state: query.state, alarmId: query.alarmId, ...(p.role === 'operator' && { opdId: p.opdId ?? '' }) }, query.limit ?? 100);
    return { items: rows.map(toCommand) };
  }

  /** An operator of the device's OPD (or an admin) sends a proposed command; recorded with their name. */
  async confirm(p: Principal, id: string): Promise<RuleCommand> {
    const row = await this.decidable(p, id);
    const name = await this.nameOf(p);
    const patch = { state: 'sent' as const, decided_at: this.clock.now(), decided_by: p.userId, decided_by_name: name };
    if (!(await this.repo.transition(id, 'pending', patch))) throw new AppError('CONFLICT', 'this command was decided already');
    return this.deliver({ ...row, ...patch }, { kind: 'rule', ruleId: row.rule_id, name: row.rule_name, confirmedBy: { userId: p.userId, name, role: p.role } });
  }

  async dismiss(p: Principal, id: string): Promise<RuleCommand> {
    const row = await this.decidable(p, id);
    const patch = { state: 'dismissed' as const, decided_at: this.clock.now(), decided_by: p.userId, decided_by_name: await this.nameOf(p) };
    if (!(await this.repo.transition(id, 'pending', patch))) throw new AppError('CONFLICT', 'this command was decided already');
    const done = { ...row, ...patch };
    this.publish(done);
    return toCommand(done);
  }

  /** Hands the command to the sender; a refusal is kept on the command (failed, with the reason). */
  private async deliver(row: RuleCommandRow, requestedBy: CommandRequester): Promise<RuleCommand> {
    let done = row;
    try {
      await this.sender!.send(row.region_id, row.device_id, { method: row.method, params: JSON.parse(row.params) }, requestedBy);
    } catch (error) {
      done = { ...row, state: 'failed', error: reasonOf(error) };
      await this.repo.set(row.id, { state: 'failed', error: done.error });
    }
    this.publish(done);
    return toCommand(done);
  }

  private async decidable(p: Principal, id: string): Promise<RuleCommandRow> {
    if (p.role !== 'admin' && p.role !== 'operator') throw new AppError('FORBIDDEN', 'this needs the role admin or operator');
    const row = await this.repo.find(p.regionId, id);
    if (!row || (p.role === 'operator' && row.opd_id !== p.opdId)) throw new AppError('NOT_FOUND', `no command ${id} you can see`);
    if (row.state !== 'pending') throw new AppError('CONFLICT', `this command was ${row.state} already`);
    if (this.sender === null) throw new AppError('CONFLICT', 'commands to devices are not available on this platform');
    // The OPD was the device's when the rule proposed it: an operator decides only while the device is still their OPD's.
    if (p.role === 'operator' && (await this.sender.commandOf(row.region_id, row.device_id, row.method))?.opdId !== p.opdId) {
      throw new AppError('FORBIDDEN', 'the device belongs to another OPD now; an admin decides');
    }
    return row;
  }

  private publish(row: RuleCommandRow): void {
    this.bus.publish('rule.command.updated', { regionId: row.region_id, opdId: row.opd_id, command: toCommand(row) });
  }
}
