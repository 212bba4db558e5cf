export { startEmbeddedBroker } from './embedded.js';
export { connectExternalBroker } from './external.js';
export { TOPIC, type DeviceIdentity, type DeviceMessageHandler, type MqttGateway } from './mqtt.js';
