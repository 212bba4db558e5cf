/**
 * Confirmed early-warning subscribers for the benchmark, written straight into
 * the database while the server is stopped (a resident's double opt-in takes a
 * code per address: 10,000 of them through the public API would measure the
 * sign-up, not the warning). Each row is what a confirmed subscription is:
 * a number, the kecamatan, the unsubscribe token's hash derived with the
 * platform's key. bench/notify.ts runs it between its two servers.
 *
 *   node bench/notify-broadcast.ts '<SeedOptions as JSON>'
 *
 * Prints one line, a SeedResult.
 */
import { loadConfig } from '../src/config/config.ts';
import { hashToken, newId } from '../src/core/ids.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import { SecretBox } from '../src/modules/notifications/secrets.ts';

export interface SeedOptions {
  dataDir: string;
  databaseUrl?: string;
  subscribers: number;
  /** the kecamatan (Kemendagri code) the subscribers follow */
  districtCode: string;
}

export interface SeedResult {
  seeded: number;
}

/** The `n`-th subscriber's mobile number, as the platform stores it (+62…). */
export function subscriberNumber(n: number): string {
  return `+62813${String(n).padStart(8, '0')}`;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as SeedOptions;
  if (!(o.subscribers >= 1 && o.subscribers <= 100_000)) throw new Error('"subscribers" 1…100,000');
  const config = loadConfig({ DATA_DIR: o.dataDir, ...(o.databaseUrl && { DATABASE_URL: o.databaseUrl }) });
  const database = await openDatabase(config);
  try {
    const [region] = await database.db.selectFrom('regions').select(['id']).execute();
    if (!region) throw new Error('no region');
    const secrets = SecretBox.open(config.secretsKey, config.dataDir);
    const now = Date.now();
    for (let i = 0; i < o.subscribers; i += 500) {
      const rows = Array.from({ length: Math.min(500, o.subscribers - i) }, (_, k) => {
        const id = newId();
        return {
          id,
          region_id: region.id,
          district_code: o.districtCode,
          channel: 'sms',
          address: subscriberNumber(i + k),
          language: (i + k) % 5 === 0 ? 'en' : 'id',
          state: 'confirmed' as const,
          code_hash: null,
          code_expires_at: null,
          code_attempts: 0,
          unsubscribe_hash: hashToken(secrets.token('warning-unsubscribe', id)),
          confirmed_at: now,
          unsubscribed_at: null,
          created_at: now,
          updated_at: now,
        };
      });
      await database.db.insertInto('warning_subscriptions').values(rows).execute();
    }
    process.stdout.write(`${JSON.stringify({ seeded: o.subscribers } satisfies SeedResult)}\n`);
  } finally {
    await database.close();
  }
}

await main();
