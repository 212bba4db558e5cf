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

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
