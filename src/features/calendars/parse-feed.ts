// Reads a feed's busy time off the main thread, within a time and memory budget. Recurrence
// expansion is unbounded work on text anyone can write (ical.js even loops for ever on some
// impossible rules), and the event loop serves everyone: a feed gets READ_BUDGET_MS in a
// worker, which is ended if it runs over.
import { Worker } from 'node:worker_threads';
import type { Interval } from '../../domain/intervals';
import { FeedError, type FeedOptions } from './ics';

const READ_BUDGET_MS = 10_000;

export interface FeedBusy {
  busy: Interval[];
  /** Events that could not be read and were left out. */
  skipped: number;
  /** True when the feed had more than the limits read: later busy time may be missing. */
  truncated: boolean;
}

/** Busy time of a feed's text, or of several calendar objects' texts (CalDAV) together. */
export function parseFeed(
  text: string | string[],
  userZone: string,
  horizon: Interval,
  options: FeedOptions = {},
  budgetMs = READ_BUDGET_MS,
): Promise<FeedBusy> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./ics-worker.mjs', import.meta.url), {
      workerData: { texts: Array.isArray(text) ? text : [text], userZone, horizon, options },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new FeedError(`reading the feed took over ${budgetMs / 1000} s`))),
      budgetMs,
    );
    worker.once(
      'message',
      (m: { error?: string; starts?: number[]; ends?: number[]; skipped?: number; truncated?: boolean }) =>
        finish(() => {
          if (m.error !== undefined) return reject(new FeedError(m.error));
          const busy = m.starts!.map((start, i) => ({ start, end: m.ends![i]! }));
          resolve({ busy, skipped: m.skipped ?? 0, truncated: m.truncated ?? false });
        }),
    );
    worker.once('error', () =>
      finish(() => reject(new FeedError('the feed could not be read (too large or malformed)'))),
    );
    worker.once('exit', () => finish(() => reject(new FeedError('the feed could not be read'))));
  });
}
