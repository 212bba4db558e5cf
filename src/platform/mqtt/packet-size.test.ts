import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PacketSizeMeter } from './packet-size.ts';

const limits = { connect: 100, packet: 1000 };
/** A packet: type nibble, remaining length bytes as given, then `length` zeros. */
const packet = (type: number, lengthBytes: number[], length: number) => Buffer.concat([Buffer.from([type << 4, ...lengthBytes]), Buffer.alloc(length)]);
const connect = packet(1, [10], 10);

describe('PacketSizeMeter', () => {
  it('lets packets within the limits pass, however the bytes are split', () => {
    const stream = Buffer.concat([connect, packet(3, [0xe8, 0x07], 1000), packet(12, [0], 0), packet(3, [5], 5)]);
    const whole = new PacketSizeMeter(limits);
    assert.equal(whole.feed(stream), null);
    const byteByByte = new PacketSizeMeter(limits);
    for (const byte of stream) assert.equal(byteByByte.feed(Buffer.from([byte])), null);
  });

  it('refuses a packet from its header, even when its length arrives a byte at a time', () => {
    const meter = new PacketSizeMeter(limits);
    assert.equal(meter.feed(connect), null);
    assert.equal(meter.feed(Buffer.from([0x30, 0xe9])), null);
    assert.match(meter.feed(Buffer.from([0x07])) ?? '', /declares 1001 bytes; the limit is 1000/);
  });

  it('holds the first packet to the CONNECT limit, and to being a CONNECT', () => {
    assert.match(new PacketSizeMeter(limits).feed(packet(1, [101], 0)) ?? '', /CONNECT packet declares 101/);
    assert.match(new PacketSizeMeter(limits).feed(packet(3, [1], 1)) ?? '', /first packet must be a CONNECT/);
  });

  it('knows when the CONNECT header has been read, not before', () => {
    const meter = new PacketSizeMeter(limits);
    assert.equal(meter.feed(Buffer.from([0x10])), null);
    assert.equal(meter.pastConnectHeader, false);
    assert.equal(meter.feed(Buffer.from([10])), null);
    assert.equal(meter.pastConnectHeader, true);
  });

  it('refuses a remaining length of more than 4 bytes', () => {
    const meter = new PacketSizeMeter({ connect: 100, packet: 300 * 1024 * 1024 });
    assert.equal(meter.feed(connect), null);
    assert.match(meter.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff])) ?? '', /more than 4 bytes/);
  });
});
