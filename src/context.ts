// What every use case receives: the store, the configuration, and the clock (injectable so
// tests can stand at a chosen instant).
import type { AppConfig } from './config';
import type { Database } from './db';

export interface AppContext {
  db: Database;
  config: AppConfig;
  /** Current instant in epoch milliseconds. */
  now: () => number;
}
