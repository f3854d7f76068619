// Sealing secrets kept at rest: AES-256-GCM, stored as base64(iv ‖ tag ‖ ciphertext). The key
// comes from whoever owns the secret (an Idempotency-Key, SECRET_KEY), never from the row.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A 256-bit key from any secret text and a purpose (so one secret never keys two uses alike). */
export function sealingKey(purpose: string, ...secrets: string[]): Buffer {
  return createHash('sha256')
    .update([purpose, ...secrets].join('\n'))
    .digest();
}

export function seal(text: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/** The text sealed with `key`; throws when the key is wrong or the text was altered. */
export function unseal(text: string, key: Buffer): string {
  const bytes = Buffer.from(text, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
