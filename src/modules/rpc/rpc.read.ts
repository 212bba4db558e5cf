import { AppError } from '../../core/errors.ts';
import { decodeCursor, toPage, type Page } from '../../core/paging.ts';
import type { Principal } from '../identity/index.ts';
import type { Rpc } from './rpc.contract.ts';
import { toRpc } from './rpc.record.ts';
import type { RpcRepository } from './rpc.repository.ts';
import type { RpcDevices } from './rpc.send.ts';

/**
 * The history of commands: a device's calls, newest first, with their states
 * and who pressed them. Operational data: every role of the region reads it.
 */
export class RpcHistory {
  private readonly repo: RpcRepository;
  private readonly devices: RpcDevices;
  constructor(repo: RpcRepository, devices: RpcDevices) {
    this.repo = repo;
    this.devices = devices;
  }

  async listOfDevice(p: Principal, deviceId: string, limit: number, cursor?: string): Promise<Page<Rpc>> {
    await this.devices.get(p, deviceId);
    return toPage(await this.repo.listOfDevice(p.regionId, deviceId, limit, decodeCursor(cursor)), limit, toRpc);
  }

  async get(p: Principal, id: string): Promise<Rpc> {
    const row = await this.repo.find(p.regionId, id);
    if (!row) throw new AppError('RPC_NOT_FOUND', `no command ${id} in this region`);
    return toRpc(row);
  }
}
