// Answers that are long lists of instants (free time day by day, slot lists) are written
// straight to the bytes of their JSON: building objects for them, serializing those and
// encoding the text cost several times more than computing them. What goes in is ASCII that
// needs no escaping (digits, punctuation, RFC 3339 instants, fixed keys); anything else goes
// through JSON.stringify first.
import type { FastifyReply } from 'fastify';
import type { InstantFormatter } from '../domain/calendar';

export class JsonBytes {
  private buf: Buffer;
  private n = 0;

  constructor(expectedBytes = 4096) {
    this.buf = Buffer.allocUnsafe(Math.max(64, expectedBytes));
  }

  /** Text that is printable ASCII and already JSON (keys with their quotes, punctuation, digits). */
  ascii(s: string): this {
    if (this.n + s.length > this.buf.length) this.grow(s.length);
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i);
    this.n = n;
    return this;
  }

  /** Any value, as JSON.stringify writes it (UTF-8). */
  value(v: unknown): this {
    const text = JSON.stringify(v);
    const bytes = Buffer.byteLength(text);
    if (this.n + bytes > this.buf.length) this.grow(bytes);
    this.n += this.buf.write(text, this.n, 'utf8');
    return this;
  }

  /** The instant as formatInstant writes it ('YYYY-MM-DDTHH:MM:SS±HH:MM'), without quotes. */
  instant(f: InstantFormatter, ms: number): this {
    const s = f.locate(ms);
    const prefix = f.prefix;
    const suffix = f.suffix;
    const need = prefix.length + 8 + suffix.length;
    if (this.n + need > this.buf.length) this.grow(need);
    // One capacity check and straight-line writes: answers hold hundreds of instants.
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < prefix.length; i++) b[n++] = prefix.charCodeAt(i);
    const minutes = Math.floor(s / 60);
    const h = Math.floor(minutes / 60);
    const m = minutes - h * 60;
    const sec = s - minutes * 60;
    b[n++] = 48 + Math.floor(h / 10);
    b[n++] = 48 + (h % 10);
    b[n++] = 58; // ':'
    b[n++] = 48 + Math.floor(m / 10);
    b[n++] = 48 + (m % 10);
    b[n++] = 58;
    b[n++] = 48 + Math.floor(sec / 10);
    b[n++] = 48 + (sec % 10);
    for (let i = 0; i < suffix.length; i++) b[n++] = suffix.charCodeAt(i);
    this.n = n;
    return this;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.n);
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + needed));
    this.buf.copy(bigger, 0, 0, this.n);
    this.buf = bigger;
  }
}

/** Sends JSON bytes built to the route's 200 schema (bypassing its serializer). */
export function sendJsonBytes(reply: FastifyReply, bytes: Buffer) {
  return reply.type('application/json; charset=utf-8').send(bytes);
}
