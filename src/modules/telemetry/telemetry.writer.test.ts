import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempDir } from '../../../test/helpers.ts';
import { InProcessBus } from '../../platform/bus/index.ts';
import { openDatabase } from '../../platform/db/index.ts';
import type { DeviceRef } from '../devices/index.ts';
import { TelemetryWriter } from './telemetry.writer.ts';

const device: DeviceRef = { id: '00000000-0000-4000-8000-000000000001', regionId: 'r1', opdId: null, assetId: null, type: 'river_gauge', assetType: null };

test('a write the database refuses is reported with its cause, and its sender is told to send again', async () => {
  const database = await openDatabase({ dataDir: tempDir() });
  const failures: { error: unknown; points: number }[] = [];
  const writer = new TelemetryWriter(database.bulk, new InProcessBus(), (error, points) => failures.push({ error, points }));
  // The database is gone under the writer: what a full disk or a lost server looks like to it.
  await database.close();
  await assert.rejects(writer.write(device, [{ ts: 1, key: 'waterLevel', value: 4.3 }], 1), { code: 'UNAVAILABLE' });
  assert.equal(failures.length, 1);
  assert.equal(failures[0]!.points, 1);
  assert.ok(failures[0]!.error instanceof Error && failures[0]!.error.message.length > 0, 'the cause is kept for the log');
});
