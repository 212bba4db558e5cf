/**
 * Baseline of the MQTT benchmark: a bare Aedes broker on a plain net server,
 * in a process of its own. It accepts every client, stores nothing and
 * acknowledges each QoS 1 message as soon as Aedes has handled it.
 *
 *   node bench/aedes-bare.ts 0     → prints {"port":N} once listening
 */
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
const server = net.createServer(broker.handle);
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address() as net.AddressInfo;
  console.log(JSON.stringify({ port: address.port }));
});
const close = () => {
  broker.close(() => server.close(() => process.exit(0)));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
