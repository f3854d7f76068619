// The day-by-day answer ({timezone, days:[{date, intervals:[{start, end}]}]}, DaysReply) written
// straight to JSON. A 31-day answer holds hundreds of instants: building objects for them and
// then serializing them cost more than computing the free time. Every value written here is a
// date or an RFC 3339 instant (ASCII digits and punctuation, nothing to escape); the zone name
// goes through JSON.stringify.
import { splitByDays } from '../../domain/availability';
import { InstantFormatter } from '../../domain/calendar';
import type { Interval } from '../../domain/intervals';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The parts of `intervals` on each date from..to in `timeZone`, as the DaysReply JSON (UTF-8). */
export function daysJson(intervals: readonly Interval[], from: string, to: string, timeZone: string): Buffer {
  const f = new InstantFormatter(timeZone);
  const zone = JSON.stringify(timeZone);
  let out = `{"timezone":${zone},"days":[`;
  const days = splitByDays(intervals, from, to, timeZone);
  for (let i = 0; i < days.length; i++) {
    const day = days[i]!;
    out += (i === 0 ? '{"date":"' : ',{"date":"') + day.date + '","intervals":[';
    const ivs = day.intervals;
    for (let j = 0; j < ivs.length; j++) {
      const iv = ivs[j]!;
      out += (j === 0 ? '{"start":"' : ',{"start":"') + f.format(iv.start) + '","end":"' + f.format(iv.end) + '"}';
    }
    out += ']}';
  }
  out += ']}';
  // All ASCII (zone names are), so Latin-1 is the same bytes as UTF-8 and a plain copy.
  return Buffer.from(out, PRINTABLE_ASCII.test(zone) ? 'latin1' : 'utf8');
}
