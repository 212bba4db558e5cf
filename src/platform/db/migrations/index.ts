import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { DialectName } from '../database.ts';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-realtime.ts';
import * as m0003 from './0003-region-layers.ts';
import * as m0004 from './0004-incidents.ts';
import * as m0005 from './0005-open311.ts';
import * as m0006 from './0006-masterplan.ts';
import * as m0007 from './0007-masterplan-collaboration.ts';
import * as m0008 from './0008-category-sla.ts';
import * as m0009 from './0009-incidents-district.ts';
import * as m0010 from './0010-masterplan-import-previews.ts';
import * as m0011 from './0011-alarm-levels.ts';
import * as m0012 from './0012-duty.ts';
import * as m0013 from './0013-notifications.ts';
import * as m0014 from './0014-residents.ts';
import * as m0015 from './0015-audit.ts';
import * as m0016 from './0016-generated-password.ts';
import * as m0017 from './0017-device-profiles.ts';
import * as m0018 from './0018-rpc.ts';
import * as m0019 from './0019-gateways.ts';
import * as m0020 from './0020-rule-commands.ts';
import * as m0021 from './0021-incident-publication.ts';
import * as m0022 from './0022-plan-programme-owner.ts';
import * as m0023 from './0023-masterplan-program-keys.ts';
import * as m0024 from './0024-masterplan-initiatives.ts';
import * as m0025 from './0025-alarm-message-en.ts';
import * as m0026 from './0026-masterplan-records.ts';
import * as m0027 from './0027-masterplan-quick-wins.ts';
import * as m0028 from './0028-masterplan-monev.ts';
import * as m0029 from './0029-incident-title-en.ts';
import * as m0030 from './0030-telemetry-inbox.ts';

type Step = { up(db: Kysely<unknown>, dialect: DialectName): Promise<void> };

/** Appended only, never edited once released. */
const STEPS: Record<string, Step> = {
  '0001-initial': m0001,
  '0002-realtime': m0002,
  '0003-region-layers': m0003,
  '0004-incidents': m0004,
  '0005-open311': m0005,
  '0006-masterplan': m0006,
  '0007-masterplan-collaboration': m0007,
  '0008-category-sla': m0008,
  '0009-incidents-district': m0009,
  '0010-masterplan-import-previews': m0010,
  '0011-alarm-levels': m0011,
  '0012-duty': m0012,
  '0013-notifications': m0013,
  '0014-residents': m0014,
  '0015-audit': m0015,
  '0016-generated-password': m0016,
  '0017-device-profiles': m0017,
  '0018-rpc': m0018,
  '0019-gateways': m0019,
  '0020-rule-commands': m0020,
  '0021-incident-publication': m0021,
  '0022-plan-programme-owner': m0022,
  '0023-masterplan-program-keys': m0023,
  '0024-masterplan-initiatives': m0024,
  '0025-alarm-message-en': m0025,
  '0026-masterplan-records': m0026,
  '0027-masterplan-quick-wins': m0027,
  '0028-masterplan-monev': m0028,
  '0029-incident-title-en': m0029,
  '0030-telemetry-inbox': m0030,
};

/** `schema` names where PostgreSQL keeps the migration tables (the connection's current schema). */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName, schema?: string): Promise<void> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of Object.entries(STEPS)) out[name] = { up: (d) => step.up(d, dialect) };
      return out;
    },
  };
  const { error, results } = await new Migrator({ db, provider, ...(schema !== undefined && { migrationTableSchema: schema }) }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
