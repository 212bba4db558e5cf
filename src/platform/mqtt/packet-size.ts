import type net from 'node:net';
import { Duplex } from 'node:stream';

/** MQTT control packet type of CONNECT (the high nibble of a packet's first byte). */
const CONNECT = 1;

/** Largest remaining length (bytes after the fixed header) a packet may declare. */
export interface PacketLimits {
  /** The first packet, which must be a CONNECT: client id, user name, password, will. */
  connect: number;
  /** Every later packet. */
  packet: number;
}

/**
 * Follows the MQTT packets of a byte stream by their fixed headers alone: one
 * type byte, then the remaining length in 1–4 bytes of 7 bits, least
 * significant first. It keeps no payload, only a count of the bytes to let
 * pass, so a packet that declares too much is caught from its first 2–5 bytes,
 * before anything buffers it (mqtt-packet's parser keeps a whole packet in
 * memory before it looks at it).
 */
export class PacketSizeMeter {
  readonly #limits: PacketLimits;
  #first = true;
  /** Bytes of the current packet's body still to let pass. */
  #skip = 0;
  /** Whether the type byte of the next header has been read. */
  #inHeader = false;
  #length = 0;
  #lengthBytes = 0;

  constructor(limits: PacketLimits) {
    this.#limits = limits;
  }

  /** Reads the next bytes; returns why the connection must end, or null. */
  feed(chunk: Uint8Array): string | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++]!;
      if (!this.#inHeader) {
        // [MQTT-3.1.0-1]: the first packet is a CONNECT; anything else may not even be read.
        if (this.#first && byte >> 4 !== CONNECT) return 'the first packet must be a CONNECT';
        this.#inHeader = true;
        this.#length = 0;
        this.#lengthBytes = 0;
        continue;
      }
      this.#length += (byte & 0x7f) * 128 ** this.#lengthBytes++;
      if (byte & 0x80) {
        if (this.#lengthBytes === 4) return 'the remaining length has more than 4 bytes';
        continue;
      }
      const limit = this.#first ? this.#limits.connect : this.#limits.packet;
      if (this.#length > limit) return `a${this.#first ? ' CONNECT' : ''} packet declares ${this.#length} bytes; the limit is ${limit}`;
      this.#skip = this.#length;
      this.#inHeader = false;
      this.#first = false;
    }
    return null;
  }
}

export class PacketTooLargeError extends Error {}

/**
 * The socket as the broker should see it: the bytes it reads pass a
 * PacketSizeMeter first, and the connection is destroyed as soon as a header
 * declares too much. Writes go to the socket as they are, and the packet
 * mqtt-packet writes in pieces under cork() goes out in one piece: one TCP
 * segment, not a small one and then the rest after Nagle's wait.
 */
export function meteredConnection(socket: net.Socket, limits: PacketLimits): Duplex {
  const meter = new PacketSizeMeter(limits);
  const whenWritten = (ok: boolean, callback: (error?: Error | null) => void) => (ok ? callback() : socket.once('drain', () => callback()));
  const conn = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      whenWritten(socket.write(chunk), callback);
    },
    writev(chunks, callback) {
      socket.cork();
      let ok = true;
      for (const { chunk } of chunks) ok = socket.write(chunk as Buffer) && ok;
      socket.uncork();
      whenWritten(ok, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    const problem = meter.feed(chunk);
    if (problem !== null) conn.destroy(new PacketTooLargeError(problem));
    else if (!conn.push(chunk)) socket.pause();
  });
  socket.once('end', () => conn.push(null));
  socket.once('error', (error) => conn.destroy(error));
  socket.once('close', () => conn.destroy());
  return conn;
}
