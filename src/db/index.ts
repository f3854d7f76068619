// Opens the configured store and brings its schema up to date.
import type { Database } from './database';
import { openEmbedded } from './embedded';
import { migrate } from './migrate';
import { openPostgres } from './postgres';

export type { Database, Queryable } from './database';

export interface StoreOptions {
  databaseUrl?: string;
  /** Embedded store directory; undefined with no databaseUrl means in memory. */
  dataDir?: string;
}

export async function openDatabase(options: StoreOptions): Promise<Database> {
  const db = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openEmbedded(options.dataDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
