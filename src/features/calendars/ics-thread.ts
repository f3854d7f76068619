// Runs in a worker thread: reads one feed's busy time and posts it back (see parse-feed.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { FeedError, readFeed, type FeedOptions } from './ics';
import { normalize, type Interval } from '../../domain/intervals';

const job = workerData as { texts: string[]; userZone: string; horizon: Interval; options: FeedOptions };
try {
  // One feed, or the calendar objects a CalDAV server answered (each a VCALENDAR of its own).
  const reads = job.texts.map((text) => readFeed(text, job.userZone, job.horizon, job.options));
  const busy = normalize(reads.flatMap((r) => r.busy));
  const skipped = reads.reduce((n, r) => n + r.skipped, 0);
  const truncated = reads.some((r) => r.truncated);
  parentPort!.postMessage({ starts: busy.map((b) => b.start), ends: busy.map((b) => b.end), skipped, truncated });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof FeedError ? error.message : 'the feed could not be read' });
}
