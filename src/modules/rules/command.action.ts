/**
 * Rule action "send a command to a device": when the rule's alarm opens (or
 * first reaches `minSeverity`), a command of the device's profile (start pump 2,
 * switch a street light on) is sent at once, or, with `confirm`, proposed on the
 * alarm until an operator confirms or dismisses it. How a command reaches a
 * device is not this module's business: it asks a CommandSender, which the
 * RPC module provides (wired in app.ts).
 */
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../alarms/index.ts';
import type { Principal } from '../identity/index.ts';
import type { ActionContext, RuleAction } from './rules.actions.ts';
import { idNumber, invalid } from './rules.errors.ts';
import type { CommandActionConfig } from './rule-commands.contract.ts';
import type { RuleCommandsService } from './rule-commands.service.ts';

/** Who asks for a command sent by a rule: the rule (its name, and who confirmed it when someone did). */
export interface CommandRequester {
  kind: 'rule';
  ruleId: string;
  /** the rule's name */
  name: string;
  /** the person who confirmed the rule's proposal; absent: the rule sent it on its own */
  confirmedBy?: { userId: string; name: string; role: string };
}

/** A command of a device's profile, as the sender knows it. */
export interface DeviceCommand {
  method: string;
  label: { id: string; en: string };
  /** fixed params: a button (setPower {on:true}) */
  params?: unknown;
  /** a level the operator sets (dimming 0–100 %), sent as the params value itself */
  input?: { min: number; max: number; step: number; unit: string | null };
}

/** Sends commands to devices for the rules module; the RPC module implements it. */
export interface CommandSender {
  /** The device of this region with its OPD and the command of its profile with this method (and these params, where buttons share a method); null: no such device, or its profile has no such command. */
  commandOf(regionId: string, deviceId: string, method: string, params?: unknown): Promise<{ deviceName: string; opdId: string | null; command: DeviceCommand } | null>;
  /** Sends it (kept for a device that is offline, until it reconnects or the command expires); throws when it is refused (revoked device, method not allowed). */
  send(regionId: string, deviceId: string, command: { method: string; params: unknown }, requestedBy: CommandRequester): Promise<void>;
}

export class CommandAction implements RuleAction<CommandActionConfig> {
  readonly type = 'command';
  private readonly inFlight = new Set<Promise<void>>();
  private readonly commands: RuleCommandsService;
  private readonly log: (message: string, detail: Record<string, unknown>) => void;
  constructor(commands: RuleCommandsService, log: (message: string, detail: Record<string, unknown>) => void = () => {}) {
    this.commands = commands;
    this.log = log;
  }

  /** The device must be the author's to command (an operator: their OPD's), and the method one of its profile's commands. */
  async parse(input: Record<string, unknown>, author: Principal): Promise<CommandActionConfig> {
    const sender = this.commands.sender;
    if (sender === null) throw invalid('action', 'perintah ke perangkat tidak tersedia di platform ini', 'commands to devices are not available on this platform');
    if (typeof input.deviceId !== 'string' || input.deviceId === '' || input.deviceId.length > 64) throw invalid('action', 'pilih perangkat yang diberi perintah', 'command action needs deviceId, the device to command');
    if (typeof input.method !== 'string' || !/^[A-Za-z0-9_.:-]{1,100}$/.test(input.method)) throw invalid('action', 'pilih salah satu perintah dari profil perangkat', "command action needs method, one of the device profile's commands");
    if (input.confirm !== undefined && typeof input.confirm !== 'boolean') throw invalid('action', 'konfirmasi perintah harus ya atau tidak', 'command action confirm must be true or false');
    if (input.minSeverity !== undefined && input.minSeverity !== null && !(SEVERITIES as readonly unknown[]).includes(input.minSeverity)) {
      throw invalid('action', `level awal perintah harus salah satu dari ${SEVERITIES.join(', ')}`, `command action minSeverity must be one of ${SEVERITIES.join(', ')}`);
    }
    const found = await sender.commandOf(author.regionId, input.deviceId, input.method, input.params);
    if (found === null) {
      throw invalid(
        'action',
        `perangkat ${input.deviceId} tidak ada di wilayah ini atau profilnya tidak punya perintah ${input.method}${input.params === undefined ? '' : ' dengan parameter ini'}`,
        `device ${input.deviceId} does not exist in this region or its profile has no command ${input.method}${input.params === undefined ? '' : ' with these params'}`,
      );
    }
    if (author.role === 'operator' && found.opdId !== author.opdId) throw invalid('action', 'aturan operator hanya dapat memberi perintah ke perangkat OPD-nya sendiri', "an operator's rules command their own OPD's devices only", 'FORBIDDEN');
    return {
      type: 'command',
      deviceId: input.deviceId,
      method: input.method,
      params: paramsFor(found.command, input.params),
      // A rule moving a pump or a light without anyone looking is the exception: it says so.
      confirm: input.confirm !== false,
      minSeverity: (input.minSeverity as Severity | undefined) ?? null,
    };
  }

  run(config: CommandActionConfig, context: ActionContext): void {
    const work = this.handle(config, context).catch((error) => this.log('command action failed', { err: error, alarmId: context.alarm.id }));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(config: CommandActionConfig, context: ActionContext): Promise<void> {
    if (context.transition === 'cleared') {
      await this.commands.expireOfAlarm(context.regionId, context.alarm.id);
      return;
    }
    if (!sendsOn(config, context)) return;
    await this.commands.fromRule(config, context);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when the work in flight is done (tests). */
  settle(): Promise<unknown> {
    return Promise.allSettled([...this.inFlight]);
  }
}

/** The params a command is sent with: a button's fixed ones, or a level within the input's range and step. */
function paramsFor(command: DeviceCommand, given: unknown): unknown {
  if (command.input) {
    const { min, max } = command.input;
    if (typeof given !== 'number' || !Number.isFinite(given) || given < min || given > max) {
      const unit = command.input.unit ? ` ${command.input.unit}` : '';
      throw invalid('action', `nilai perintah harus angka dari ${idNumber(min)} sampai ${idNumber(max)}${unit}`, `command action params must be a number from ${min} to ${max}${unit}`);
    }
    return given;
  }
  if (command.params !== undefined) return command.params;
  if (given !== undefined && JSON.stringify(given).length > 10_000) throw invalid('action', 'parameter perintah paling banyak 10.000 karakter JSON', 'command action params must be at most 10,000 characters of JSON');
  return given ?? null;
}

/** Whether this change sends (or proposes) the command: the alarm opened at minSeverity or above, or rose to it from below. */
function sendsOn(config: CommandActionConfig, context: ActionContext): boolean {
  const rank = (s: string) => SEVERITY_RANK[s as Severity] ?? 0;
  if (context.transition === 'opened') return config.minSeverity === null || rank(context.alarm.severity) >= rank(config.minSeverity);
  if (context.transition !== 'level_changed' || config.minSeverity === null || !context.rising) return false;
  return rank(context.to) >= rank(config.minSeverity) && rank(context.from) < rank(config.minSeverity);
}
