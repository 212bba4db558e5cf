import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * A connection that was opened but never sent a byte (an HTTP client's spare
 * connection, a port scanner, a request aborted before it was written) is not
 * "idle" for Node's server: close() waits for it until headersTimeout, checked
 * every 30 s, so a shutdown took 60 to 90 s. They are ended when the app
 * closes; a connection that sent a request is left to finish as before.
 */
export function endSilentConnectionsOnClose(app: FastifyInstance): void {
  const open = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  app.addHook('preClose', async () => {
    for (const socket of open) if (socket.bytesRead === 0) socket.destroy();
  });
}
