import type { AlarmsService } from '../alarms/index.ts';
import type { AssetsService } from '../assets/index.ts';
import type { DevicesService, ProfilesService } from '../devices/index.ts';
import type { DutyService, EscalationPoliciesService } from '../duty/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { Notifications } from '../notifications/index.ts';
import type { RulesService } from '../rules/index.ts';
import type { AuditReader } from './audit.hooks.ts';
import type { ReaderKind } from './audit.describe.ts';

/** The services whose entities people change through the API. */
export interface AuditedServices {
  identity: IdentityService;
  devices: DevicesService;
  profiles: ProfilesService;
  assets: AssetsService;
  rules: RulesService;
  alarms: AlarmsService;
  incidents: IncidentsService;
  duty: DutyService;
  escalationPolicies: EscalationPoliciesService;
  notifications: Notifications;
}

/**
 * How the audit log reads an entity before a person changes it (for before and
 * after), each through its module's own service and with the person's rights.
 */
export function auditReaders(s: AuditedServices): Partial<Record<ReaderKind, AuditReader>> {
  return {
    user: (p, params) => s.identity.getUser(p, params.id ?? ''),
    opd: (p, params) => s.identity.getOpd(p, params.id ?? ''),
    region: (p) => s.identity.getRegion(p.regionId),
    device: (p, params) => s.devices.get(p, params.id ?? ''),
    profile: (p, params) => s.profiles.get(p, params.id ?? ''),
    asset: (p, params) => s.assets.get(p, params.id ?? ''),
    rule: (p, params) => s.rules.get(p, params.id ?? ''),
    alarm: (p, params) => s.alarms.get(p, params.id ?? ''),
    incident: (p, params) => s.incidents.get(p, params.id ?? ''),
    category: (p, params) => s.incidents.getCategory(p.regionId, params.code ?? ''),
    shift: async (p, params) => (await s.duty.listShifts(p, params.id ?? '')).find((x) => x.id === params.shiftId) ?? null,
    swap: async (p, params) => (await s.duty.listSwaps(p, params.id ?? '')).find((x) => x.id === params.swapId) ?? null,
    policy: async (p, params) => (await s.escalationPolicies.list(p, params.id ?? '')).policies.find((x) => x.severity === params.severity) ?? null,
    warning: (p, params) => s.notifications.warnings.get(p, params.id ?? ''),
  };
}
