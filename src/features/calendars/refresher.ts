// Keeps linked calendars' busy time current: every process claims calendars due for a read
// (SKIP LOCKED, under a lease), reads them, and schedules the next read.
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../context';
import { queueWriter } from '../../db/database';
import { QueueWorker } from '../../jobs/poller';
import * as repo from './repository';
import { syncCalendar } from './service';

const LEASE_MS = 5 * 60_000;
const BATCH = 4;

export class CalendarRefresher extends QueueWorker {
  constructor(
    private readonly ctx: AppContext,
    log: FastifyBaseLogger,
  ) {
    super('calendar refresher', log, 1000);
  }

  async runOnce(): Promise<number> {
    const now = this.ctx.now();
    if (!(await repo.anyDue(this.ctx.db, new Date(now)))) return 0;
    const claimed = await repo.claimDue(queueWriter(this.ctx.db), new Date(now), new Date(now + LEASE_MS), BATCH);
    await Promise.all(claimed.map((row) => syncCalendar(this.ctx, row, row.lease)));
    return claimed.length;
  }
}
