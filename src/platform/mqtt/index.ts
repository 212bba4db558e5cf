export { startEmbeddedBroker } from './embedded.ts';
export { connectExternalBroker } from './external.ts';
export { TOPIC, type DeviceIdentity, type DeviceMessageHandler, type MqttGateway } from './mqtt.ts';
export { GATEWAY_TOPIC, parseGatewayRpcResponse, type GatewayMessageHandler, type GatewayRpcRequest } from './mqtt.ts';
