import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { FirstRun } from './first-run.ts';
import type { IdentityRepository } from './identity.repository.ts';
import { Opds } from './opds.ts';
import { RegionLayers } from './region-layers.ts';
import { Regions } from './regions.ts';
import { Sessions } from './sessions.ts';
import { Users } from './users.ts';

/**
 * Identity: the region, its map layers, its OPDs, its users and their
 * sessions. One object for the rest of the platform; each part lives in its
 * own file and this class hands each call to it.
 */
export class IdentityService {
  private readonly regions: Regions;
  private readonly mapLayers: RegionLayers;
  private readonly firstRun: FirstRun;
  private readonly sessions: Sessions;
  private readonly users: Users;
  private readonly opds: Opds;

  constructor(repo: IdentityRepository, clock: Clock, sessionTtlMs: number, bus: EventBus) {
    this.regions = new Regions(repo, clock);
    this.mapLayers = new RegionLayers(repo, clock);
    this.users = new Users(repo, clock);
    this.firstRun = new FirstRun(repo, clock, this.regions, this.users);
    this.sessions = new Sessions(repo, clock, sessionTtlMs, bus);
    this.opds = new Opds(repo, clock);
  }

  // Regions (regions.ts)

  ensureRegion(...args: Parameters<Regions['ensureRegion']>): ReturnType<Regions['ensureRegion']> {
    return this.regions.ensureRegion(...args);
  }

  getRegion(...args: Parameters<Regions['getRegion']>): ReturnType<Regions['getRegion']> {
    return this.regions.getRegion(...args);
  }

  listRegions(...args: Parameters<Regions['listRegions']>): ReturnType<Regions['listRegions']> {
    return this.regions.listRegions(...args);
  }

  listDistricts(...args: Parameters<Regions['listDistricts']>): ReturnType<Regions['listDistricts']> {
    return this.regions.listDistricts(...args);
  }

  updateRegion(...args: Parameters<Regions['updateRegion']>): ReturnType<Regions['updateRegion']> {
    return this.regions.updateRegion(...args);
  }

  // Map layers (region-layers.ts)

  layers(...args: Parameters<RegionLayers['layers']>): ReturnType<RegionLayers['layers']> {
    return this.mapLayers.layers(...args);
  }

  baseLayers(...args: Parameters<RegionLayers['baseLayers']>): ReturnType<RegionLayers['baseLayers']> {
    return this.mapLayers.baseLayers(...args);
  }

  putLayer(...args: Parameters<RegionLayers['putLayer']>): ReturnType<RegionLayers['putLayer']> {
    return this.mapLayers.putLayer(...args);
  }

  putLayerUpload(...args: Parameters<RegionLayers['putLayerUpload']>): ReturnType<RegionLayers['putLayerUpload']> {
    return this.mapLayers.putLayerUpload(...args);
  }

  putLayerAsAdmin(...args: Parameters<RegionLayers['putLayerAsAdmin']>): ReturnType<RegionLayers['putLayerAsAdmin']> {
    return this.mapLayers.putLayerAsAdmin(...args);
  }

  deleteLayer(...args: Parameters<RegionLayers['deleteLayer']>): ReturnType<RegionLayers['deleteLayer']> {
    return this.mapLayers.deleteLayer(...args);
  }

  districtShapes(...args: Parameters<RegionLayers['districtShapes']>): ReturnType<RegionLayers['districtShapes']> {
    return this.mapLayers.districtShapes(...args);
  }

  // First run (first-run.ts)

  bootstrap(...args: Parameters<FirstRun['bootstrap']>): ReturnType<FirstRun['bootstrap']> {
    return this.firstRun.bootstrap(...args);
  }

  // Sessions (sessions.ts)

  login(...args: Parameters<Sessions['login']>): ReturnType<Sessions['login']> {
    return this.sessions.login(...args);
  }

  authenticate(...args: Parameters<Sessions['authenticate']>): ReturnType<Sessions['authenticate']> {
    return this.sessions.authenticate(...args);
  }

  logout(...args: Parameters<Sessions['logout']>): ReturnType<Sessions['logout']> {
    return this.sessions.logout(...args);
  }

  endSessions(...args: Parameters<Sessions['endSessions']>): ReturnType<Sessions['endSessions']> {
    return this.sessions.endSessions(...args);
  }

  // Users (users.ts)

  assertStrongPassword(...args: Parameters<Users['assertStrongPassword']>): ReturnType<Users['assertStrongPassword']> {
    return this.users.assertStrongPassword(...args);
  }

  me(...args: Parameters<Users['me']>): ReturnType<Users['me']> {
    return this.users.me(...args);
  }

  listUsers(...args: Parameters<Users['listUsers']>): ReturnType<Users['listUsers']> {
    return this.users.listUsers(...args);
  }

  getUser(...args: Parameters<Users['getUser']>): ReturnType<Users['getUser']> {
    return this.users.getUser(...args);
  }

  usersByIds(...args: Parameters<Users['usersByIds']>): ReturnType<Users['usersByIds']> {
    return this.users.usersByIds(...args);
  }

  activeUsersWithPosition(...args: Parameters<Users['activeUsersWithPosition']>): ReturnType<Users['activeUsersWithPosition']> {
    return this.users.activeUsersWithPosition(...args);
  }

  activePeopleOf(...args: Parameters<Users['activePeopleOf']>): ReturnType<Users['activePeopleOf']> {
    return this.users.activePeopleOf(...args);
  }

  createUser(...args: Parameters<Users['createUser']>): ReturnType<Users['createUser']> {
    return this.users.createUser(...args);
  }

  checkRoleAndOpd(...args: Parameters<Users['checkRoleAndOpd']>): ReturnType<Users['checkRoleAndOpd']> {
    return this.users.checkRoleAndOpd(...args);
  }

  // OPDs (opds.ts)

  listOpds(...args: Parameters<Opds['listOpds']>): ReturnType<Opds['listOpds']> {
    return this.opds.listOpds(...args);
  }

  opdsOf(...args: Parameters<Opds['opdsOf']>): ReturnType<Opds['opdsOf']> {
    return this.opds.opdsOf(...args);
  }

  peopleOfOpd(...args: Parameters<Opds['peopleOfOpd']>): ReturnType<Opds['peopleOfOpd']> {
    return this.opds.peopleOfOpd(...args);
  }

  getOpd(...args: Parameters<Opds['getOpd']>): ReturnType<Opds['getOpd']> {
    return this.opds.getOpd(...args);
  }

  opdsByIds(...args: Parameters<Opds['opdsByIds']>): ReturnType<Opds['opdsByIds']> {
    return this.opds.opdsByIds(...args);
  }

  assertOpd(...args: Parameters<Opds['assertOpd']>): ReturnType<Opds['assertOpd']> {
    return this.opds.assertOpd(...args);
  }

  createOpd(...args: Parameters<Opds['createOpd']>): ReturnType<Opds['createOpd']> {
    return this.opds.createOpd(...args);
  }

  updateOpd(...args: Parameters<Opds['updateOpd']>): ReturnType<Opds['updateOpd']> {
    return this.opds.updateOpd(...args);
  }

  deleteOpd(...args: Parameters<Opds['deleteOpd']>): ReturnType<Opds['deleteOpd']> {
    return this.opds.deleteOpd(...args);
  }
}
