// A background loop over a durable queue in the database: run a batch while there is work,
// then wait `pollMs` and look again. Every process runs its own; the queue's claim (SKIP
// LOCKED with a lease) keeps them from doing one job at the same time.
import type { FastifyBaseLogger } from 'fastify';

const CHORES_EVERY_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 30_000;

export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;
  private choresDoneAt = -Infinity;

  /**
   * `batch` does one round of work and answers how many jobs it took (0: nothing due);
   * `chores` (clearing out old finished jobs) runs before it at most every ten minutes.
   */
  constructor(
    private readonly name: string,
    private readonly log: FastifyBaseLogger,
    private readonly batch: () => Promise<number>,
    private readonly chores: () => Promise<unknown> = async () => {},
    private readonly pollMs = 250,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the round in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain()
        .then(() => {
          this.failures = 0;
        })
        .catch((error) => {
          // The database is away: say so once in a while, not four times a second.
          if (this.failures++ % 20 === 0) this.log.warn({ err: error }, `${this.name}: could not read the queue`);
        })
        .finally(() => {
          this.running = null;
          this.schedule(Math.min(MAX_BACKOFF_MS, this.pollMs * 2 ** Math.min(this.failures, 7)));
        });
    }, ms);
    this.timer.unref(); // the loop must not keep the process alive
  }

  private async drain(): Promise<void> {
    if (Date.now() - this.choresDoneAt >= CHORES_EVERY_MS) {
      this.choresDoneAt = Date.now();
      await this.chores();
    }
    while (!this.stopped && (await this.batch()) > 0) {
      // next round at once: there may be more due
    }
  }
}

/** A worker of one queue: a Poller around `runOnce` (one round; how many jobs it took) and `chores`. */
export abstract class QueueWorker {
  private readonly poller: Poller;

  constructor(name: string, log: FastifyBaseLogger, pollMs = 250) {
    this.poller = new Poller(
      name,
      log,
      () => this.runOnce(),
      () => this.chores(),
      pollMs,
    );
  }

  abstract runOnce(): Promise<number>;

  /** Housekeeping (clearing out old finished jobs), at most every ten minutes. */
  protected async chores(): Promise<unknown> {
    return undefined;
  }

  start(): void {
    this.poller.start();
  }

  /** Stops polling and waits for the round in flight. */
  async stop(): Promise<void> {
    await this.poller.stop();
  }
}
