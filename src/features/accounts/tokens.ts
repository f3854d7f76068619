// Bearer secrets: random, URL-safe, and stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';

/** A new secret with a readable prefix ('sws_' session, 'swp_' personal), 256 random bits. */
export function newSecret(prefix: 'sws_' | 'swp_' | 'swc_'): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
