import { createHash } from 'node:crypto';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config.ts';
import type { AppModule } from '../../core/app-module.ts';
import { AppError, isAppError } from '../../core/errors.ts';
import type { EventBus } from '../../platform/bus/index.ts';
import { connectExternalBroker, startEmbeddedBroker, type DeviceMessageHandler, type MqttGateway } from '../../platform/mqtt/index.ts';
import { GatewayCommands, type DeviceRef, type DevicesService, type GatewayDevices, type ProvisioningService } from '../devices/index.ts';
import { answerOf, type Commands } from '../rpc/index.ts';
import type { GatewayIngest } from './gateway.ingest.ts';
import type { IngestService } from './telemetry.ingest.ts';
import { splitKeys } from './telemetry.routes.ts';

interface Needs {
  config: Config;
  log: FastifyBaseLogger;
  bus: EventBus;
  devices: DevicesService;
  provisioning: ProvisioningService;
  gateways: GatewayDevices;
  ingest: IngestService;
  gatewayIngest: GatewayIngest;
  commands: Commands;
  options: {
    /** ms the embedded broker gives a connection to send its CONNECT (tests make it short) */
    mqttConnectTimeoutMs?: number;
  };
}

/**
 * The MQTT side of the platform: the embedded broker (MQTT_PORT) or a session
 * on an external one (MQTT_URL), each topic handed to the module that owns it —
 * readings and attributes to ingest, provisioning to devices, gateways'
 * messages to gateway ingest, commands' answers to rpc —, and shared
 * attributes pushed back to devices. Opened last: it takes devices' traffic
 * once everything that handles it is there, and closes first.
 */
export const brokerModule: AppModule<Needs, { mqtt: MqttGateway | null }> = {
  name: 'mqtt',
  needs: ['config', 'log', 'bus', 'devices', 'provisioning', 'gateways', 'ingest', 'gatewayIngest', 'commands', 'options'],
  provides: ['mqtt'],
  async open({ config, log, bus, devices, provisioning, gateways, ingest, gatewayIngest, commands, options }) {
    let mqtt: MqttGateway | null = null;
    const rpcFailed = (error: unknown) => log.error({ err: error }, 'commands (RPC) failed');
    // Commands to devices behind gateways go through their gateway's session (the commands' transport).
    const gatewayCommands = new GatewayCommands(gateways, () => mqtt, commands.delivery, log, rpcFailed);
    const handler: DeviceMessageHandler<DeviceRef> = {
      authenticate: (token: string) => devices.resolveToken(token),
      telemetry: (device: DeviceRef, payload: Buffer) => ingest.telemetry(device, payload),
      attributes: (device: DeviceRef, payload: Buffer) => ingest.attributes(device, payload),
      async attributesRequest(device: DeviceRef, payload: Buffer) {
        let request: { clientKeys?: unknown; sharedKeys?: unknown } = {};
        try {
          if (payload.length > 0) request = JSON.parse(payload.toString('utf8')) as typeof request;
        } catch {
          throw new AppError('INVALID_JSON', 'the attribute request is not valid JSON; send {"clientKeys":"a,b","sharedKeys":"c"}');
        }
        const keys = (v: unknown) => (typeof v === 'string' ? splitKeys(v) ?? [] : undefined);
        return devices.attributesForDevice(device, keys(request.clientKeys), keys(request.sharedKeys));
      },
      // ---- provisioning (username "provision", /provision/request → /provision/response) ----
      provision: async (payload: Buffer, address: string) => (await provisioning.provision(payload, address)).response,
      rejected: (device: DeviceRef | null, topic: string, error: unknown) =>
        log.warn({ deviceId: device?.id, topic, reason: error instanceof Error ? error.message : String(error) }, 'MQTT message refused'),
      // Gateways (ThingsBoard IoT Gateway API, v1/gateway/*).
      gateway: {
        connect: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.connect(gateway, payload),
        disconnect: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.disconnect(gateway, payload),
        telemetry: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.telemetry(gateway, payload),
        attributes: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.attributes(gateway, payload),
        attributesRequest: (gateway: DeviceRef, payload: Buffer) => gatewayIngest.attributesRequest(gateway, payload),
        gatewayRpcResponse: (gateway: DeviceRef, deviceName: string, requestId: number, data: unknown) => gatewayCommands.answered(gateway, deviceName, requestId, data),
        rpcReady: (gateway: DeviceRef) => gatewayCommands.ready(gateway),
      },
      // Commands (RPC)
      rpcResponse: async (device: DeviceRef, requestId: number, payload: Buffer) => void (await commands.delivery.answered(device, requestId, answerOf(payload))),
      rpcRequest: async (_device: DeviceRef, payload: Buffer) => commands.clientSide.answer(answerOf(payload)),
      rpcDelivered: (device: DeviceRef, requestId: number) => void commands.delivery.delivered(device.id, requestId).catch(rpcFailed),
      rpcReady: (device: DeviceRef) => void commands.delivery.deviceReady(device).catch(rpcFailed),
    };
    try {
      if (config.mqttUrl) {
        mqtt = await connectExternalBroker(handler, config.mqttUrl, {
          clientId: `cerdas-${createHash('sha256').update(`${os.hostname()}:${config.dataDir}:${config.port}`).digest('hex').slice(0, 16)}`,
          isPermanent: (error) => isAppError(error) && error.status < 500,
          group: config.mqttGroup,
        });
      } else if (config.mqttPort !== null) {
        mqtt = await startEmbeddedBroker(handler, {
          port: config.mqttPort,
          host: config.host,
          maxPayloadBytes: config.maxPayloadBytes,
          pendingPerAddress: config.mqttPendingPerAddress,
          isPermanent: (error) => isAppError(error) && error.status < 500,
          ...(options.mqttConnectTimeoutMs !== undefined && { connectTimeoutMs: options.mqttConnectTimeoutMs }),
        });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`MQTT_PORT ${config.mqttPort} is in use by another program; choose another port or MQTT_PORT=0 to turn the broker off`);
      throw error;
    }
    commands.delivery.useTransport(mqtt && gatewayCommands);
    const unsubscribe: (() => void)[] = [];
    if (mqtt) {
      const gateway = mqtt;
      // Shared attributes reach the device, or its gateway in the gateway form; a deletion as {"deleted":[keys]} (ThingsBoard's notice).
      const pushShared = (deviceId: string, data: Record<string, unknown>) =>
        gateways.addressOf(deviceId).then(
          (behind) => (behind ? gateway.pushGatewayAttributes(behind.gatewayId, behind.name, data) : gateway.pushAttributes(deviceId, data)),
          (error: unknown) => log.error({ err: error, deviceId }, 'shared attributes not pushed'),
        );
      unsubscribe.push(
        bus.subscribe('attributes.updated', ({ deviceId, scope, values }) => scope === 'shared' && void pushShared(deviceId, values)),
        bus.subscribe('attributes.deleted', ({ deviceId, scope, keys }) => scope === 'shared' && void pushShared(deviceId, { deleted: keys })),
        bus.subscribe('device.credentials.changed', ({ deviceId }) => gateway.disconnect(deviceId)),
        // A session keeps what it knew of its device at connect: after a move, the device connects again.
        bus.subscribe('device.updated', ({ deviceId }) => gateway.disconnect(deviceId)),
      );
    }
    return {
      provides: { mqtt },
      async close() {
        for (const u of unsubscribe) u();
        await mqtt?.close();
      },
    };
  },
};
