// Slot generation: grid alignment to working hours, buffers, minimum notice, window bounds, and isBookable agreement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interval } from '../../src/domain/intervals';
import type { SlotQuery } from '../../src/domain/slots';
import { bookableSlots, isBookable } from '../../src/domain/slots';
import { availableIntervals } from '../../src/domain/schedule';
import { dayWindow, formatInstant, parseInstant } from '../../src/domain/calendar';

const M = 60_000;
const DAY = '2026-03-09T'; // a Monday; times below are UTC
const at = (hhmm: string): number => parseInstant(`${DAY}${hhmm}:00Z`)!;
const iv = (a: string, b: string): Interval => ({ start: at(a), end: at(b) });
const starts = (xs: readonly Interval[]): string[] => xs.map((x) => formatInstant(x.start, 'UTC').slice(11, 16));
const base = (over: Partial<SlotQuery>): SlotQuery => ({
  available: [iv('09:00', '12:00')],
  busy: [],
  duration: 30 * M,
  step: 30 * M,
  window: iv('00:00', '23:59'),
  ...over,
});

// Every slot must be reported by isBookable, and nothing else on a 5-minute sweep of the day.
function assertAgrees(q: SlotQuery): void {
  const slots = bookableSlots(q);
  const set = new Set(slots.map((s) => s.start));
  for (let t = at('00:00') - 60 * M; t < at('23:59') + 60 * M; t += 5 * M) {
    assert.equal(isBookable(q, t), set.has(t), `isBookable at ${formatInstant(t, 'UTC')}`);
  }
  for (const s of slots) assert.equal(s.end - s.start, q.duration);
}

test('slots are aligned to the start of each available stretch', () => {
  const cases: [string, Partial<SlotQuery>, string[]][] = [
    ['30 on a 30 grid', {}, ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']],
    [
      '30 on a 15 grid',
      { step: 15 * M },
      ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00', '11:15', '11:30'],
    ],
    ['odd start 09:10 anchors the grid', { available: [iv('09:10', '10:00')] }, ['09:10']],
    [
      'each stretch anchors its own grid',
      { available: [iv('09:00', '10:00'), iv('13:20', '14:20')] },
      ['09:00', '09:30', '13:20', '13:50'],
    ],
    [
      'touching stretches count as one',
      { available: [iv('09:00', '10:00'), iv('10:00', '11:00')], duration: 40 * M, step: 40 * M },
      ['09:00', '09:40', '10:20'],
    ],
    ['stretch shorter than the duration', { available: [iv('09:00', '09:20')] }, []],
    ['60-minute meetings every 30', { duration: 60 * M }, ['09:00', '09:30', '10:00', '10:30', '11:00']],
  ];
  for (const [name, over, expected] of cases) {
    const q = base(over);
    assert.deepEqual(starts(bookableSlots(q)), expected, name);
    assertAgrees(q);
  }
});

test('existing bookings remove slots but never shift the grid', () => {
  // 45-minute grid: 09:00, 09:45, 10:30, 11:15. A booking at 09:30-09:50 kills only 09:45; no slot appears at 09:50.
  const q = base({ step: 45 * M, busy: [iv('09:30', '09:50')] });
  assert.deepEqual(starts(bookableSlots(q)), ['09:00', '10:30', '11:15']);
  assertAgrees(q);
  // Busy time touching a slot edge does not conflict.
  const q2 = base({ busy: [iv('10:00', '10:30')] });
  assert.deepEqual(starts(bookableSlots(q2)), ['09:00', '09:30', '10:30', '11:00', '11:30']);
  assertAgrees(q2);
});

test('buffers widen the slot against busy time but may fall outside working hours', () => {
  const q = base({ busy: [iv('10:00', '10:30')], bufferBefore: 15 * M, bufferAfter: 15 * M });
  // 09:30 needs 09:15-10:15 clear, 10:30 needs 10:15-11:15 clear: both hit the booking.
  assert.deepEqual(starts(bookableSlots(q)), ['09:00', '11:00', '11:30']);
  assertAgrees(q);
  // The 09:00 slot's 15-minute lead-in lies before working hours: still fine, as long as it is not busy.
  const q2 = base({ available: [iv('09:00', '10:00')], bufferBefore: 15 * M });
  assert.deepEqual(starts(bookableSlots(q2)), ['09:00', '09:30']);
  const q3 = base({ available: [iv('09:00', '10:00')], busy: [iv('08:30', '08:50')], bufferBefore: 15 * M });
  assert.deepEqual(starts(bookableSlots(q3)), ['09:30']);
  assertAgrees(q3);
  // Only bufferAfter: a booking right after a slot blocks it.
  const q4 = base({ busy: [iv('11:35', '12:00')], bufferAfter: 10 * M });
  assert.deepEqual(starts(bookableSlots(q4)), ['09:00', '09:30', '10:00', '10:30']);
  assertAgrees(q4);
});

test('minimum notice and the window bound slot starts, not slot ends', () => {
  const q = base({ notBefore: at('10:10') });
  assert.deepEqual(starts(bookableSlots(q)), ['10:30', '11:00', '11:30']);
  assertAgrees(q);
  assert.deepEqual(starts(bookableSlots(base({ notBefore: at('10:30') }))), ['10:30', '11:00', '11:30']);
  const q2 = base({ window: iv('09:15', '10:00') });
  assert.deepEqual(starts(bookableSlots(q2)), ['09:30']); // 09:30-10:00 starts inside the window; 10:00 does not
  assertAgrees(q2);
  const q3 = base({ window: iv('11:45', '23:00'), available: [iv('09:00', '12:00'), iv('13:00', '14:00')] });
  assert.deepEqual(starts(bookableSlots(q3)), ['13:00', '13:30']);
  assertAgrees(q3);
});

test('invalid durations and steps are rejected', () => {
  assert.throws(() => bookableSlots(base({ step: 0 })), RangeError);
  assert.throws(() => bookableSlots(base({ duration: -1 })), RangeError);
  assert.throws(() => isBookable(base({ step: Number.NaN }), at('09:00')), RangeError);
  assert.throws(() => bookableSlots(base({ bufferAfter: -5 })), RangeError);
});

test('a real schedule over a DST week: 16 half-hour slots a day at the right UTC times', () => {
  const rules = {
    timeZone: 'America/New_York',
    weekly: { friday: [{ start: '09:00', end: '17:00' }], monday: [{ start: '09:00', end: '17:00' }] },
    overrides: [],
  };
  const window = dayWindow('2026-03-06', '2026-03-09', 'America/New_York');
  const q: SlotQuery = {
    available: availableIntervals(rules, window),
    busy: [],
    duration: 30 * M,
    step: 30 * M,
    window,
  };
  const slots = bookableSlots(q);
  assert.equal(slots.length, 32);
  assert.equal(formatInstant(slots[0]!.start, 'UTC'), '2026-03-06T14:00:00Z');
  assert.equal(formatInstant(slots[16]!.start, 'UTC'), '2026-03-09T13:00:00Z');
  assert.equal(formatInstant(slots[31]!.start, 'America/New_York'), '2026-03-09T16:30:00-04:00');
});

test('seeded random queries: isBookable agrees with bookableSlots', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  for (let round = 0; round < 40; round++) {
    const available: Interval[] = [];
    const busy: Interval[] = [];
    for (let i = 0; i < 4; i++) {
      const s = at('06:00') + rnd(60) * 5 * M * 3;
      available.push({ start: s, end: s + (10 + rnd(30)) * 5 * M });
    }
    for (let i = 0; i < 6; i++) {
      const s = at('06:00') + rnd(200) * 5 * M;
      busy.push({ start: s, end: s + (1 + rnd(12)) * 5 * M });
    }
    const q: SlotQuery = {
      available,
      busy,
      duration: (3 + rnd(10)) * 5 * M,
      step: (1 + rnd(9)) * 5 * M,
      bufferBefore: rnd(3) * 5 * M,
      bufferAfter: rnd(3) * 5 * M,
      notBefore: rnd(2) === 0 ? undefined : at('08:00') + rnd(48) * 5 * M,
      window: { start: at('05:00') + rnd(36) * 5 * M, end: at('14:00') + rnd(60) * 5 * M },
    };
    assertAgrees(q);
    const slots = bookableSlots(q);
    for (let i = 1; i < slots.length; i++) assert.ok(slots[i]!.start > slots[i - 1]!.start, 'sorted, no duplicates');
  }
});
