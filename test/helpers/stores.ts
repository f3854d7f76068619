// The stores every API test runs on: the embedded PGlite (in memory) and a real PostgreSQL,
// each test file getting a database of its own that is dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db';

export type StoreKind = 'embedded' | 'postgres';

export const STORES: StoreKind[] = (process.env.TEST_STORES ?? 'embedded,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is StoreKind => s === 'embedded' || s === 'postgres');

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  db: Database;
  /** Connection string of the PostgreSQL test database (postgres store only). */
  url?: string;
  drop(): Promise<void>;
}

/** A fresh database: created and migrated on PostgreSQL, or in memory for the embedded store. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `slotwise_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'embedded') {
    const db = await openDatabase({});
    return { db, drop: async () => {} };
  }
  const { url, drop } = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: url });
  return { db, url, drop };
}
