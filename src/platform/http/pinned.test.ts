import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { describe, it } from 'node:test';
import { isPrivateAddress, postPinned, PrivateAddressError } from './pinned.ts';

describe('addresses a webhook must not reach', () => {
  it('covers loopback, private, reserved and the IPv6 forms that carry them', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '198.18.0.1', '198.19.255.255', '0.0.0.0', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fec0::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::7f00:1', '64:ff9b::127.0.0.1', '2002:7f00:1::1', '2002:c0a8:101::', '::127.0.0.1', 'not-an-address']) {
      assert.equal(isPrivateAddress(address), true, address);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '103.10.64.1', '2001:4860:4860::8888', '64:ff9b::808:808', '2002:808:808::1']) {
      assert.equal(isPrivateAddress(address), false, address);
    }
  });

  it("includes this machine's own non-loopback addresses", () => {
    const own = Object.values(os.networkInterfaces()).flat().filter((i) => i && !i.internal).map((i) => i!.address);
    for (const address of own) assert.equal(isPrivateAddress(address), true, address);
  });
});

describe('a pinned POST', () => {
  it('refuses a private target unless allowed, and reaches it when allowed', async () => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.end(`got ${body}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const init = { headers: { 'content-type': 'text/plain' }, body: 'hello', signal: AbortSignal.timeout(2000) };
      await assert.rejects(postPinned(new URL(`http://127.0.0.1:${port}/`), { ...init, allowPrivateNetwork: false }), PrivateAddressError);
      await assert.rejects(postPinned(new URL(`http://localhost:${port}/`), { ...init, allowPrivateNetwork: false }), PrivateAddressError);
      await assert.rejects(postPinned(new URL(`http://[::ffff:127.0.0.1]:${port}/`), { ...init, allowPrivateNetwork: false }), PrivateAddressError);
      const answer = await postPinned(new URL(`http://127.0.0.1:${port}/`), { ...init, allowPrivateNetwork: true });
      assert.deepEqual(answer, { status: 200, text: 'got hello' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
