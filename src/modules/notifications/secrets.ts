import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts channel credentials (bot tokens, SMTP passwords, app secrets) before
 * they reach the database, with AES-256-GCM: a database dump or backup alone
 * does not give away the regency's WhatsApp or Telegram account.
 */
export class SecretBox {
  private readonly key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secrets key must be 32 bytes');
    this.key = key;
  }

  /**
   * SECRETS_KEY when set; otherwise DATA_DIR/secrets.key, made once with
   * owner-only permissions (instances sharing a database share that folder).
   */
  static open(hexKey: string | undefined, dataDir: string): SecretBox {
    if (hexKey !== undefined) return new SecretBox(Buffer.from(hexKey, 'hex'));
    const file = path.join(dataDir, 'secrets.key');
    try {
      return new SecretBox(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    fs.mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    try {
      fs.writeFileSync(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
      return new SecretBox(key);
    } catch (error) {
      // Another instance on the same folder wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return new SecretBox(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex'));
      throw error;
    }
  }

  /**
   * A token derived from the key, e.g. a message's acknowledgement token from its
   * id: it is never stored (only its hash), so the outbox's rows hold no working link.
   */
  token(purpose: string, id: string): string {
    return createHmac('sha256', this.key).update(`${purpose}:${id}`).digest('base64url').slice(0, 32);
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Throws when the text was sealed with another key or altered. */
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || iv === undefined || tag === undefined || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
