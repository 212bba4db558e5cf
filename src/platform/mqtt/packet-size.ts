import type net from 'node:net';

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

  /** Whether the first packet's header has been read, and was a CONNECT within its limit. */
  get pastConnectHeader(): boolean {
    return !this.#first;
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

/**
 * Reads a new connection's first bytes until the fixed header of its first
 * packet is known: that packet must be a CONNECT of at most `connectMaxBytes`,
 * and it must begin within `timeoutMs`. Then the bytes read are put back and
 * the socket itself goes to the broker (`admitted`), which reads it directly:
 * every later packet is held to the broker's own maximum packet size
 * (aedes refuses a packet from its header, before its body is buffered).
 * Otherwise the socket is destroyed. Before that, at most a few bytes (the
 * header, and whatever came in the same TCP segments) are held.
 */
export function admitConnect(socket: net.Socket, connectMaxBytes: number, timeoutMs: number, admitted: () => void): void {
  const meter = new PacketSizeMeter({ connect: connectMaxBytes, packet: Number.MAX_SAFE_INTEGER });
  const chunks: Buffer[] = [];
  // Once the socket is the broker's, nothing of this check is kept: its listeners go, so the meter, the
  // timer and the first bytes are not held by the socket for the whole life of the connection.
  const end = () => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('close', end);
  };
  const timer = setTimeout(() => {
    end();
    socket.destroy();
  }, timeoutMs);
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    const problem = meter.feed(chunk);
    if (problem !== null) {
      end();
      socket.destroy(new PacketTooLargeError(problem));
    } else if (meter.pastConnectHeader) {
      end();
      socket.pause();
      socket.unshift(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      admitted();
    }
  };
  socket.on('data', onData);
  socket.once('close', end);
  // A reset before the CONNECT: nothing to report, the socket is gone.
  socket.on('error', () => {});
}

export class PacketTooLargeError extends Error {}
