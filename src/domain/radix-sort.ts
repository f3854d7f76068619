// Stable ascending sort order for float64 keys via LSD radix sort on their IEEE-754 bits.
// Comparator sorts of 10,000 intervals take ~2 ms; this takes a fraction of that, which keeps normalize() cheap.

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const BITS = 11;
const RADIX = 1 << BITS;
const MASK = RADIX - 1;
// Three digits per 32-bit half: bits 0-10, 11-21 and 22-31.
const SHIFTS = [0, 11, 22] as const;

/** Indices i ordering keys[i] ascending; equal keys keep their input order. Keys must not be NaN. */
export function sortedOrder(keys: Float64Array): Uint32Array {
  const n = keys.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < 128 || !LITTLE_ENDIAN) {
    // Small inputs: the histogram set-up would dominate. Big-endian hosts: the bit view below assumes [lo, hi].
    return order.sort((a, b) => keys[a]! - keys[b]! || a - b);
  }

  // Map each double to an unsigned 64-bit pattern (hi, lo) that orders like the number:
  // flip every bit of negatives, flip only the sign bit of non-negatives.
  const raw = new Uint32Array(keys.buffer, keys.byteOffset, n * 2);
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = raw[2 * i + 1]!;
    const l = raw[2 * i]!;
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }

  // All six histograms in one pass, so digits every key shares (typical for timestamps) can be skipped.
  const counts = new Uint32Array(6 * RADIX);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    counts[l & MASK]!++;
    counts[RADIX + ((l >>> 11) & MASK)]!++;
    counts[2 * RADIX + (l >>> 22)]!++;
    counts[3 * RADIX + (h & MASK)]!++;
    counts[4 * RADIX + ((h >>> 11) & MASK)]!++;
    counts[5 * RADIX + (h >>> 22)]!++;
  }

  let next = new Uint32Array(n);
  for (let d = 0; d < 6; d++) {
    const base = d * RADIX;
    let trivial = false;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b]!;
      if (c === n) {
        trivial = true;
        break;
      }
      if (c !== 0) break;
    }
    if (trivial) continue;
    // Exclusive prefix sums turn counts into each bucket's first output slot.
    let sum = 0;
    for (let b = 0; b < RADIX; b++) {
      const c = counts[base + b]!;
      counts[base + b] = sum;
      sum += c;
    }
    const words = d < 3 ? lo : hi;
    const shift = SHIFTS[d % 3]!;
    for (let i = 0; i < n; i++) {
      const k = order[i]!;
      next[counts[base + ((words[k]! >>> shift) & MASK)]!++] = k;
    }
    const t = order;
    order = next;
    next = t;
  }
  return order;
}
