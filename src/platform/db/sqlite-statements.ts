import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept prepared: the platform's queries are a few hundred; `IN (?, ?, …)` lists of every length would be more. */
const MAX_STATEMENTS = 500;

/**
 * The database as Kysely sees it, with each SQL text prepared once and kept
 * (the least recently used dropped past MAX_STATEMENTS). Kysely prepares every
 * query anew; under MQTT load that was seconds of CPU a minute in
 * sqlite3_prepare, and native statements that linger until V8 collects them
 * (tens of MB of the server's memory). A statement still being iterated (a
 * streamed query) is not shared: the next use of its text gets a fresh one.
 */
export function withStatementCache(raw: BetterSqlite3.Database, max = MAX_STATEMENTS): SqliteDatabase {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      const known = prepared.get(sql);
      if (known?.busy) return raw.prepare(sql);
      if (known) {
        prepared.delete(sql);
        prepared.set(sql, known);
        return known;
      }
      const statement = raw.prepare(sql);
      prepared.set(sql, statement);
      if (prepared.size > max) prepared.delete(prepared.keys().next().value!);
      return statement;
    },
  };
}
