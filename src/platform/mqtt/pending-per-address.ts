import net from 'node:net';

/**
 * Counts the connections of each address that have not authenticated yet, so
 * that one address cannot hold hundreds of half-open sessions. Authenticated
 * connections are not counted: a gateway or a NAT with many devices behind one
 * address is only limited in how many of them are connecting at the same moment.
 */
export class PendingPerAddress {
  readonly #max: number;
  readonly #count = new Map<string, number>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Takes a place for a new connection from `address`; false when the address has none left. */
  admit(address: string): boolean {
    const n = this.#count.get(address) ?? 0;
    if (n >= this.#max) return false;
    this.#count.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = this.#count.get(address) ?? 0;
    if (n <= 1) this.#count.delete(address);
    else this.#count.set(address, n - 1);
  }
}

/** The address a connection is counted under: an IPv4-mapped IPv6 address as plain IPv4. */
export function addressOf(socket: net.Socket): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}
