// SQL fragments shared by the repositories: instants travel between the app and the database
// as epoch milliseconds (what the domain computes with), stored as timestamptz.

/** A timestamptz expression read as epoch milliseconds (float8: exact for whole milliseconds). */
export const epochMs = (expression: string): string => `(extract(epoch FROM ${expression}) * 1000)::float8`;

/** An epoch-milliseconds expression (a parameter such as `$2`) as timestamptz. */
export const fromEpochMs = (expression: string): string => `to_timestamp(${expression}::float8 / 1000.0)`;

/** The half-open range [start, end) of two epoch-milliseconds expressions. */
export const msRange = (start: string, end: string): string => `tstzrange(${fromEpochMs(start)}, ${fromEpochMs(end)}, '[)')`;
