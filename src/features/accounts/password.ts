// Password policy and hashing (argon2id, memory-hard). The policy is the minimum that
// stops the guessable: length, variety, and not the account's own names.
import { hash, verify, type Algorithm } from '@node-rs/argon2';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

const COMMON = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'passw0rd',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'qwerty1234',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'admin12345',
  'abcdefghij',
  'abc1234567',
  '0123456789',
  'football12',
  'baseball12',
  'monkey1234',
  'dragon1234',
  'changeme12',
  'trustno1234',
  'sunshine12',
  'princess12',
]);

/** The reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, names: { username: string; email: string }): string | null {
  if (password.length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) return 'must use at least 4 different characters';
  if (COMMON.has(lower)) return 'is too common';
  if (lower.includes(names.username.toLowerCase())) return 'must not contain the username';
  const local = names.email.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'must not contain the e-mail address';
  return null;
}

// 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so both cases take as long. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy password that never matches'));
