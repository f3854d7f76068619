// How queued outbound work (webhook deliveries, e-mail) is retried after a failure.

export const MAX_ATTEMPTS = 8;

/**
 * Delay before attempt n+1 after n failed attempts: the first delay (30 s by default), then ×3
 * each time: 30 s, 90 s, 4.5 min, 13.5 min, 40.5 min, 2 h, 6 h; 8 attempts span about 9 hours.
 */
export function retryDelayMs(failedAttempts: number, firstMs = 30_000): number {
  return Math.min(24 * 3600_000, firstMs * 3 ** (failedAttempts - 1));
}

/** How long a claimed job is leased: if its outcome is not recorded by then, it is attempted again. */
export const LEASE_MS = 60_000;
