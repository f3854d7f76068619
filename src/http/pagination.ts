// Cursor pagination shared by every list: `limit` 1..100 (default 20) and an opaque cursor
// that encodes the sort key of the last row returned.
import { Type, type Static, type TSchema } from 'typebox';
import { invalidField } from './errors';

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size, 1 to 100' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from the previous page' })),
});
export type PageQuery = Static<typeof PageQuery>;

export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What a cursor part may be, checked exactly as the API writes it, so nothing a client
 * crafts reaches SQL as a value the database would reject: 'instant' is an epoch-ms number
 * within ±100,000,000 days, 'sequence' a row number (a safe integer >= 0, as bigint takes it),
 * 'timestamp' PostgreSQL's text form of a real timestamptz, 'uuid' a UUID.
 */
export type CursorPart = 'string' | 'number' | 'sequence' | 'instant' | 'timestamp' | 'uuid';

/** PostgreSQL's text form of a timestamptz whose fields are a real date and time (year 1 to 9999). */
function isTimestampText(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-])(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, se, oh, om] = [m[1], m[2], m[3], m[4], m[5], m[6], m[9], m[10] ?? '0'].map(
    Number,
  ) as number[];
  const date = new Date(Date.UTC(2000, mo! - 1, d!));
  date.setUTCFullYear(y!);
  return (
    y! >= 1 &&
    date.getUTCMonth() === mo! - 1 &&
    date.getUTCDate() === d! &&
    h! <= 23 &&
    mi! <= 59 &&
    se! <= 59 &&
    oh! <= 15 &&
    om! <= 59
  );
}

const PART_CHECKS: Record<CursorPart, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length <= 200,
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  sequence: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
  instant: (v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15,
  timestamp: isTimestampText,
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

/** Decodes a cursor into key parts of the given kinds; anything else is a 400. */
export function decodeCursor(cursor: string, kinds: readonly CursorPart[]): (string | number)[] {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidField('cursor', 'is not a cursor this API returned');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== kinds.length ||
    parsed.some((part, i) => !PART_CHECKS[kinds[i]](part))
  ) {
    throw invalidField('cursor', 'is not a cursor this API returned');
  }
  return parsed as (string | number)[];
}

/** Given limit+1 rows, the page and the cursor of the next one. */
export function paginate<R, T>(
  rows: readonly R[],
  limit: number,
  key: (row: R) => (string | number)[],
  map: (row: R) => T,
) {
  const page = rows.slice(0, limit);
  const next = rows.length > limit && page.length > 0 ? encodeCursor(key(page[page.length - 1])) : null;
  return { data: page.map(map), next_cursor: next };
}
