import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import type { Database } from '../../platform/db/index.ts';
import type { Principal } from '../identity/index.ts';
import { ClientSideRpc } from './rpc.client-side.ts';
import { RpcDelivery, type RpcDevice, type RpcLog, type RpcTransport } from './rpc.delivery.ts';
import { RpcExpiryJob } from './rpc.expiry.ts';
import { RpcHistory } from './rpc.read.ts';
import { RpcRepository } from './rpc.repository.ts';
import { SendRuleCommand, type RuleCommandDevices, type RuleCommandProfiles } from './rpc.rule-command.ts';
import { SendRpc, type AllowedCommands, type RpcAuditLog, type RpcDevices } from './rpc.send.ts';

export { answerOf } from './rpc.record.ts';
export { rpcDeviceRoutes, rpcRoutes } from './rpc.routes.ts';
export { MAX_INFLIGHT_MESSAGES } from './rpc.client-side.ts';
export { DEFAULT_EXPIRY_MS } from './rpc.send.ts';
export type { AllowedCommands, RpcAuditLog, RpcDevices, RpcDevice, RpcTransport, ClientSideRpc, RpcDelivery, RpcExpiryJob, RpcHistory, SendRpc, SendRuleCommand };
export type { RuleCommandDevices, RuleCommandProfiles, RuleDeviceCommand, RuleRequester } from './rpc.rule-command.ts';
export type * from './rpc.contract.ts';

/** Long polls held open at once over the whole instance (each is a socket and a timer). */
const MAX_POLLS = 10_000;

/** Until the profiles module is wired in: no type has a profile, every command is allowed. */
const everyCommand: AllowedCommands = { allows: async () => null };

export interface Commands {
  send: SendRpc;
  history: RpcHistory;
  delivery: RpcDelivery;
  clientSide: ClientSideRpc;
  expiry: RpcExpiryJob;
  /** What rules send commands with (the rules module's CommandSender): persistent calls, audited as the rule's. */
  forRules(devices: RuleCommandDevices, profiles: RuleCommandProfiles): SendRuleCommand;
  close(): Promise<void>;
}

/** Commands to devices, assembled: what app.ts wires to the broker, the routes and the job loop. */
export function createCommands(deps: {
  database: Database;
  bus: EventBus;
  clock: Clock;
  devices: RpcDevices;
  audit: RpcAuditLog;
  nameOf: (p: Principal) => Promise<string>;
  allowed?: AllowedCommands;
  maxPayloadBytes: number;
  log: RpcLog;
  onError: (error: unknown) => void;
}): Commands {
  const repo = new RpcRepository(deps.database.db);
  const delivery = new RpcDelivery(repo, deps.bus, deps.clock, deps.log, { maxPolls: MAX_POLLS });
  const send = new SendRpc({
    repo, delivery, devices: deps.devices, allowed: deps.allowed ?? everyCommand, audit: deps.audit, nameOf: deps.nameOf,
    bus: deps.bus, clock: deps.clock, onAuditError: deps.onError,
  });
  const expiry = new RpcExpiryJob(repo, delivery, deps.clock, deps.onError);
  return {
    send,
    history: new RpcHistory(repo, deps.devices),
    delivery,
    clientSide: new ClientSideRpc(deps.clock, { maxPayloadBytes: deps.maxPayloadBytes }),
    expiry,
    forRules: (devices, profiles) =>
      new SendRuleCommand({ repo, delivery, numbering: send, devices, profiles, audit: deps.audit, clock: deps.clock, onAuditError: deps.onError }),
    async close() {
      await expiry.stop();
      send.close();
      delivery.close();
    },
  };
}
export { rpcModule } from './rpc.module.ts';
