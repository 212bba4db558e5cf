/**
 * A public warning queued straight into the outbox, in a process of its own:
 * it opens the database the running server uses (the SQLite file in DATA_DIR,
 * or the PostgreSQL schema), and puts one SMS per subscriber in the outbox with
 * `Outbox.toAddresses`, `batch` addresses a transaction. The server's sender
 * finds them on its next poll and delivers them. bench/notify.ts runs it.
 *
 *   node bench/notify-broadcast.ts '<BroadcastOptions as JSON>'
 *
 * A stand-in: the public-warning feature (subscriptions, approved warnings) is
 * being built on another branch; once it lands, bench/notify.ts calls its
 * "approve and send" API instead of this script (see queuePublicWarning there).
 *
 * Prints one line, a BroadcastResult.
 */
import { loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import { NotificationsRepository } from '../src/modules/notifications/notifications.repository.ts';
import { Outbox, type Address } from '../src/modules/notifications/outbox.ts';
import { SecretBox } from '../src/modules/notifications/secrets.ts';

export interface BroadcastOptions {
  dataDir: string;
  databaseUrl?: string;
  subscribers: number;
  /** addresses a transaction */
  batch: number;
  /** the server's PUBLIC_URL (the stop link in the text) */
  publicUrl: string;
}

export interface BroadcastResult {
  /** ms since epoch (sub-ms): just before the first transaction began */
  startedAt: number;
  /** ms since epoch (sub-ms): the last transaction committed */
  queuedAt: number;
  queued: number;
  transactions: number;
  /** the slowest transaction, ms */
  maxTransactionMs: number;
}

/** The `n`-th subscriber's mobile number, as the platform stores it (digits, 62…). */
export function subscriberNumber(n: number): string {
  return `62813${String(n).padStart(8, '0')}`;
}

const epochNow = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as BroadcastOptions;
  if (!(o.subscribers >= 1 && o.subscribers <= 100_000 && o.batch >= 1 && o.batch <= 10_000)) throw new Error('"subscribers" 1…100,000 and "batch" 1…10,000');
  // The server's own configuration rules, so the database opened is the one it uses.
  const config = loadConfig({ DATA_DIR: o.dataDir, ...(o.databaseUrl && { DATABASE_URL: o.databaseUrl }), PUBLIC_URL: o.publicUrl });
  const database = await openDatabase(config);
  try {
    const regions = await database.db.selectFrom('regions').select(['id', 'timezone']).execute();
    if (regions.length !== 1) throw new Error(`expected the one region of a fresh platform, found ${regions.length}`);
    const region = regions[0]!;
    const outbox = new Outbox(new NotificationsRepository(database.db, database.dialect), SecretBox.open(config.secretsKey, config.dataDir), config.notifyMaxPerHour);
    const spec = {
      regionId: region.id,
      event: 'warning.public' as const,
      placeholders: () => ({
        title: 'Peringatan Dini Banjir',
        text: 'Tinggi muka air Sungai Kelingi naik cepat. Warga bantaran sungai bersiap mengungsi ke titik kumpul.',
        where: 'Kec. Muara Kelingi',
        time: '02.05 WIB',
        stopLink: `${config.publicUrl}/berhenti`,
      }),
      timeZone: region.timezone,
      // A public warning is an Awas: it does not wait for anyone's quiet hours.
      severityRank: 3,
    };
    const startedAt = epochNow();
    let queued = 0;
    let transactions = 0;
    let maxTransactionMs = 0;
    for (let from = 0; from < o.subscribers; from += o.batch) {
      const to: Address[] = [];
      for (let n = from; n < Math.min(o.subscribers, from + o.batch); n++) to.push({ channel: 'sms', address: subscriberNumber(n), language: 'id' });
      const t0 = performance.now();
      queued += await database.db.transaction().execute((tx) => outbox.toAddresses(tx, spec, to, Date.now()));
      maxTransactionMs = Math.max(maxTransactionMs, performance.now() - t0);
      transactions++;
    }
    const result: BroadcastResult = { startedAt, queuedAt: epochNow(), queued, transactions, maxTransactionMs };
    console.log(JSON.stringify(result));
  } finally {
    await database.close();
  }
}

// Run only as a script: bench/notify.ts imports the helpers above.
if (process.argv[1]?.endsWith('notify-broadcast.ts')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  });
}
