// Runs in a worker thread: reads one feed's busy time and posts it back (see parse-feed.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { FeedError, readFeed, type FeedOptions } from './ics';
import type { Interval } from '../../domain/intervals';

const job = workerData as { text: string; userZone: string; horizon: Interval; options: FeedOptions };
try {
  const { busy, skipped, truncated } = readFeed(job.text, job.userZone, job.horizon, job.options);
  parentPort!.postMessage({ starts: busy.map((b) => b.start), ends: busy.map((b) => b.end), skipped, truncated });
} catch (error) {
  parentPort!.postMessage({ error: error instanceof FeedError ? error.message : 'the feed could not be read' });
}
