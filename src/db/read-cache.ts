// Answers of hot reads kept in memory. Any write empties it (the stores call invalidate():
// the embedded store on its own writes, PostgreSQL on every process's, heard by LISTEN); a
// generation number stops a read that overlapped a write from storing what it saw before.

const TTL_MS = 1000; // bounds staleness of predicates on now(), such as token expiry
const MAX_ENTRIES = 5000;

export function isPlainRead(sql: string): boolean {
  return /^\s*select\b/i.test(sql) && !/\bfor\s+(update|share|no key update|key share)\b/i.test(sql);
}

export class ReadCache {
  private generation = 0;
  private entries = new Map<string, { generation: number; expires: number; rows: unknown[] }>();

  invalidate(): void {
    this.generation++;
    if (this.entries.size) this.entries.clear();
  }

  async read<T>(sql: string, params: readonly unknown[], load: () => Promise<T[]>): Promise<T[]> {
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.generation === this.generation && hit.expires > now) return hit.rows as T[];
    const generation = this.generation;
    const rows = await load();
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { generation, expires: now + TTL_MS, rows });
    }
    return rows;
  }
}
