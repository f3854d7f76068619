// A background loop over a durable queue in the database: run a batch while there is work,
// then wait `pollMs` and look again. Every process runs its own; the queue's claim (SKIP
// LOCKED with a lease) keeps them from doing one job at the same time.
import type { FastifyBaseLogger } from 'fastify';

export class Poller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  /** `batch` does one round of work and answers how many jobs it took (0: nothing due). */
  constructor(
    private readonly name: string,
    private readonly log: FastifyBaseLogger,
    private readonly batch: () => Promise<number>,
    private readonly pollMs = 250,
  ) {}

  start(): void {
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
        .catch((error) => this.log.warn({ err: error }, `${this.name}: could not read the queue`))
        .finally(() => {
          this.running = null;
          this.schedule(this.pollMs);
        });
    }, ms);
    this.timer.unref(); // the loop must not keep the process alive
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.batch()) > 0) {
      // next round at once: there may be more due
    }
  }
}
