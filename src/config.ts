// The service's configuration: read from the environment once, at start-up, and
// validated there, so a bad value stops the process before it serves anything.
import path from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  /** Directory of the embedded store; ignored when databaseUrl is set. */
  dataDir: string;
  /** PostgreSQL connection string; when set, the embedded store is not used. */
  databaseUrl?: string;
  /** Absolute base of links in answers and e-mails, without a trailing slash. */
  publicUrl: string;
  adminUsernames: readonly string[];
  smtpUrl?: string;
  /** Sender of e-mail. */
  mailFrom: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Failed log-ins allowed per account, and per client address, within loginWindowSeconds. */
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
  /** Lifetime of a log-in session, in seconds. */
  sessionTtlSeconds: number;
  /** Whether Fastify trusts X-Forwarded-For (behind a proxy). */
  trustProxy: boolean;
  /** Delay before a failed webhook delivery's first retry, in seconds (each later one waits 3× longer). */
  deliveryRetrySeconds: number;
  /** Google Calendar (OAuth 2): enabled when client id and secret are set; base URLs overridable (tests use a stand-in). */
  google?: { clientId: string; clientSecret: string; authUrl: string; tokenUrl: string; apiUrl: string };
  /** Key that seals stored secrets (OAuth refresh tokens) and signs OAuth state; required with Google. */
  secretKey?: string;
  /** How often linked calendars are read again, in seconds. */
  calendarRefreshSeconds: number;
  /** Whether webhooks may be delivered to loopback, private and link-local addresses. */
  outboundAllowPrivate: boolean;
}

export class ConfigError extends Error {
  constructor(
    public readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function googleConfig(env: NodeJS.ProcessEnv): Pick<AppConfig, 'google' | 'secretKey'> {
  const secretKey = env.SECRET_KEY || undefined;
  if (secretKey !== undefined && secretKey.length < 32)
    throw new ConfigError('SECRET_KEY', 'must be at least 32 characters');
  const clientId = env.GOOGLE_CLIENT_ID || undefined;
  const clientSecret = env.GOOGLE_CLIENT_SECRET || undefined;
  if (!clientId && !clientSecret) return { secretKey };
  if (!clientId) throw new ConfigError('GOOGLE_CLIENT_ID', 'is required with GOOGLE_CLIENT_SECRET');
  if (!clientSecret) throw new ConfigError('GOOGLE_CLIENT_SECRET', 'is required with GOOGLE_CLIENT_ID');
  if (!secretKey) throw new ConfigError('SECRET_KEY', 'is required with Google Calendar (it seals the refresh tokens)');
  return {
    secretKey,
    google: {
      clientId,
      clientSecret,
      authUrl: url(env, 'GOOGLE_AUTH_URL', ['http:', 'https:']) ?? 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: url(env, 'GOOGLE_TOKEN_URL', ['http:', 'https:']) ?? 'https://oauth2.googleapis.com/token',
      apiUrl: (url(env, 'GOOGLE_API_URL', ['http:', 'https:']) ?? 'https://www.googleapis.com').replace(/\/+$/, ''),
    },
  };
}

/** Parses and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '0.0.0.0';
  const logLevel = (env.LOG_LEVEL || 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const publicUrl = (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const adminUsernames = (env.ADMIN_USERNAMES ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl,
    publicUrl,
    adminUsernames,
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || `Slotwise <no-reply@${new URL(publicUrl).hostname}>`,
    logLevel,
    bodyLimit: integer(env, 'BODY_LIMIT', 100 * 1024, 1024, 10 * 1024 * 1024),
    loginMaxFailuresPerAccount: integer(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1_000_000),
    loginMaxFailuresPerAddress: integer(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 1_000_000),
    loginWindowSeconds: integer(env, 'LOGIN_WINDOW_SECONDS', 15 * 60, 1, 86_400),
    sessionTtlSeconds: integer(env, 'SESSION_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    deliveryRetrySeconds: integer(env, 'DELIVERY_RETRY_SECONDS', 30, 1, 3600),
    outboundAllowPrivate: boolean(env, 'OUTBOUND_ALLOW_PRIVATE', true),
    calendarRefreshSeconds: integer(env, 'CALENDAR_REFRESH_SECONDS', 300, 10, 86_400),
    ...googleConfig(env),
  };
}
