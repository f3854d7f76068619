// Table tests for the interval algebra in src/domain/intervals.ts (half-open [start, end) on plain numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interval } from '../../src/domain/intervals';
import { splitByDays } from '../../src/domain/availability';
import {
  clip,
  covers,
  dropShorterThan,
  intersect,
  intersectAll,
  normalize,
  overlaps,
  subtract,
  union,
} from '../../src/domain/intervals';

const iv = (start: number, end: number): Interval => ({ start, end });
const ivs = (...pairs: [number, number][]): Interval[] => pairs.map(([s, e]) => iv(s, e));

test('normalize: merging cases', () => {
  const cases: [string, Interval[], Interval[]][] = [
    ['empty input', [], []],
    ['consecutive (touching) merge', ivs([1, 3], [3, 5]), ivs([1, 5])],
    ['overlapping merge', ivs([1, 4], [2, 6]), ivs([1, 6])],
    ['engulfing absorbed', ivs([1, 10], [3, 4]), ivs([1, 10])],
    ['engulfed first, unsorted', ivs([3, 4], [1, 10]), ivs([1, 10])],
    ['gap kept', ivs([1, 2], [3, 4]), ivs([1, 2], [3, 4])],
    ['unsorted sorted', ivs([7, 8], [1, 2], [4, 5]), ivs([1, 2], [4, 5], [7, 8])],
    ['empty and reversed dropped', ivs([5, 5], [6, 4], [1, 2]), ivs([1, 2])],
    ['zero-length between touching pieces does not bridge a gap', ivs([1, 2], [2, 2], [3, 4]), ivs([1, 2], [3, 4])],
    ['duplicates collapse', ivs([1, 2], [1, 2], [1, 2]), ivs([1, 2])],
    ['chain of touching unsorted', ivs([4, 6], [0, 2], [2, 4]), ivs([0, 6])],
    ['negative coordinates', ivs([-5, -1], [-1, 3]), ivs([-5, 3])],
  ];
  for (const [name, input, expected] of cases) assert.deepEqual(normalize(input), expected, name);
});

test('normalize does not mutate or alias its input', () => {
  const input = ivs([3, 5], [1, 4]);
  const copy = structuredClone(input);
  const out = normalize(input);
  assert.deepEqual(input, copy);
  out[0]!.end = 99;
  assert.deepEqual(input, copy);
  const sorted = ivs([1, 2], [2, 3]);
  normalize(sorted)[0]!.start = -1;
  assert.equal(sorted[0]!.start, 1);
});

test('subtract and splitByDays read normalized input in place but never hand its objects out', () => {
  const frozen = (xs: Interval[]) => Object.freeze(xs.map((x) => Object.freeze(x)));
  const a = frozen(ivs([0, 10], [20, 30]));
  const out = subtract(a, frozen(ivs([25, 26])));
  assert.deepEqual(out, ivs([0, 10], [20, 25], [26, 30]));
  for (const x of out) assert.ok(!a.includes(x));
  const none = subtract(a, []);
  assert.deepEqual(none, ivs([0, 10], [20, 30]));
  for (const x of none) assert.ok(!a.includes(x));
  const day = Date.UTC(2026, 5, 1);
  const split = splitByDays(frozen(ivs([day + 3_600_000, day + 7_200_000])), '2026-06-01', '2026-06-01', 'UTC');
  assert.deepEqual(split, [{ date: '2026-06-01', intervals: ivs([day + 3_600_000, day + 7_200_000]) }]);
  split[0]!.intervals[0]!.end = 0; // its own object: writable
});

test('union of several lists', () => {
  assert.deepEqual(union(ivs([1, 3]), ivs([2, 5]), ivs([7, 8])), ivs([1, 5], [7, 8]));
  assert.deepEqual(union(), []);
  assert.deepEqual(union(ivs([5, 6], [1, 2])), ivs([1, 2], [5, 6]));
});

test('intersect', () => {
  const cases: [string, Interval[], Interval[], Interval[]][] = [
    ['partial overlap', ivs([1, 5]), ivs([3, 8]), ivs([3, 5])],
    ['touching gives nothing', ivs([1, 3]), ivs([3, 5]), []],
    ['engulfing', ivs([0, 10]), ivs([2, 3], [5, 6]), ivs([2, 3], [5, 6])],
    ['unsorted inputs', ivs([5, 9], [0, 2]), ivs([8, 12], [1, 6]), ivs([1, 2], [5, 6], [8, 9])],
    ['disjoint', ivs([0, 1]), ivs([2, 3]), []],
    ['one side empty', [], ivs([0, 1]), []],
  ];
  for (const [name, a, b, expected] of cases) {
    assert.deepEqual(intersect(a, b), expected, name);
    assert.deepEqual(intersect(b, a), expected, `${name} (commuted)`);
  }
});

test('intersectAll', () => {
  assert.deepEqual(intersectAll([]), []);
  assert.deepEqual(intersectAll([ivs([3, 4], [1, 2])]), ivs([1, 2], [3, 4]));
  assert.deepEqual(intersectAll([ivs([0, 10]), ivs([2, 8]), ivs([5, 12])]), ivs([5, 8]));
  assert.deepEqual(intersectAll([ivs([0, 10]), [], ivs([5, 12])]), []);
});

test('subtract', () => {
  const cases: [string, Interval[], Interval[], Interval[]][] = [
    ['hole in the middle', ivs([0, 10]), ivs([3, 5]), ivs([0, 3], [5, 10])],
    ['cut both ends', ivs([0, 10]), ivs([-5, 2], [8, 15]), ivs([2, 8])],
    ['fully removed', ivs([2, 4]), ivs([0, 10]), []],
    ['touching removes nothing', ivs([0, 5]), ivs([5, 7], [-2, 0]), ivs([0, 5])],
    ['one b spans two a', ivs([0, 4], [6, 10]), ivs([3, 7]), ivs([0, 3], [7, 10])],
    ['several holes, unsorted b', ivs([0, 20]), ivs([15, 16], [2, 3], [8, 9]), ivs([0, 2], [3, 8], [9, 15], [16, 20])],
    ['b empty', ivs([1, 2]), [], ivs([1, 2])],
    ['a empty', [], ivs([1, 2]), []],
    ['overlapping b pieces', ivs([0, 10]), ivs([2, 5], [4, 6]), ivs([0, 2], [6, 10])],
  ];
  for (const [name, a, b, expected] of cases) assert.deepEqual(subtract(a, b), expected, name);
});

test('clip', () => {
  assert.deepEqual(clip(ivs([0, 5], [8, 12], [20, 30]), iv(3, 10)), ivs([3, 5], [8, 10]));
  assert.deepEqual(clip(ivs([0, 5]), iv(7, 7)), []);
  assert.deepEqual(clip(ivs([0, 5]), iv(5, 9)), []);
});

test('covers', () => {
  const xs = ivs([0, 5], [5, 8], [10, 12]);
  const cases: [Interval, boolean][] = [
    [iv(1, 7), true], // across the touching seam at 5
    [iv(0, 8), true],
    [iv(7, 11), false], // straddles the gap 8..10
    [iv(10, 12), true],
    [iv(11, 13), false],
    [iv(-1, 1), false],
    [iv(9, 9), true], // empty interval is vacuously covered
  ];
  for (const [q, expected] of cases) assert.equal(covers(xs, q), expected, JSON.stringify(q));
  assert.equal(covers(ivs([5, 8], [0, 5]), iv(1, 7)), true, 'unsorted input');
});

test('overlaps needs positive-length shared time', () => {
  const xs = ivs([0, 5], [10, 12]);
  assert.equal(overlaps(xs, iv(4, 6)), true);
  assert.equal(overlaps(xs, iv(5, 10)), false);
  assert.equal(overlaps(xs, iv(11, 11)), false);
  assert.equal(overlaps(ivs([3, 3]), iv(0, 10)), false);
  assert.equal(overlaps(xs, iv(-10, 100)), true);
});

test('dropShorterThan merges first and keeps pieces of exactly minLength', () => {
  assert.deepEqual(dropShorterThan(ivs([0, 2], [2, 4], [10, 13], [20, 21]), 3), ivs([0, 4], [10, 13]));
  assert.deepEqual(dropShorterThan(ivs([0, 1]), 0), ivs([0, 1]));
});

test('10,000-element inputs (sorted and shuffled) give consistent results', () => {
  let seed = 42;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const make = (): Interval[] =>
    Array.from({ length: 10_000 }, () => {
      const s = Math.floor(rnd() * 1e9);
      return iv(s, s + 1 + Math.floor(rnd() * 1e5));
    });
  const a = make();
  const b = make();
  const aSorted = normalize(a);
  // Speed is measured in bench/availability-engine.ts; here, that a minus itself is empty,
  // and a ∪ b minus b leaves exactly a minus b.
  assert.deepEqual(subtract(a, a), []);
  assert.deepEqual(subtract(union(a, b), b), subtract(a, b));
  assert.deepEqual(intersect(a, aSorted), aSorted);
});
