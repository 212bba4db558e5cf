import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/** 20 random bytes from the CSPRNG, base64url: 27 characters, 160 bits. */
export function newSecretToken(): string {
  return randomBytes(20).toString('base64url');
}

/** Tokens are stored only as their SHA-256, so a leaked database leaks no credential. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

let lastTick = 0n;
/**
 * An id that sorts in creation order within this process (history lines made in
 * the same millisecond keep their order), with randomness against other instances.
 */
export function sortableId(): string {
  let tick = process.hrtime.bigint();
  if (tick <= lastTick) tick = lastTick + 1n;
  lastTick = tick;
  return `${tick.toString(36).padStart(14, '0')}-${randomBytes(6).toString('hex')}`;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
