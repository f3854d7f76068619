// The day-by-day answer ({timezone, days:[{date, intervals:[{start, end}]}]}, DaysReply) written
// straight to JSON bytes (see http/json-text.ts for why).
import { splitByDays } from '../../domain/availability';
import { InstantFormatter } from '../../domain/calendar';
import type { Interval } from '../../domain/intervals';
import { JsonBytes } from '../../http/json-text';

/** The parts of `intervals` on each date from..to in `timeZone`, as the DaysReply JSON (UTF-8). */
export function daysJson(intervals: readonly Interval[], from: string, to: string, timeZone: string): Buffer {
  const f = new InstantFormatter(timeZone);
  const days = splitByDays(intervals, from, to, timeZone);
  const out = new JsonBytes(64 + days.length * 48 + intervals.length * 80);
  out.ascii('{"timezone":').value(timeZone).ascii(',"days":[');
  for (let i = 0; i < days.length; i++) {
    const day = days[i]!;
    out
      .ascii(i === 0 ? '{"date":"' : ',{"date":"')
      .ascii(day.date)
      .ascii('","intervals":[');
    const ivs = day.intervals;
    for (let j = 0; j < ivs.length; j++) {
      out
        .ascii(j === 0 ? '{"start":"' : ',{"start":"')
        .instant(f, ivs[j]!.start)
        .ascii('","end":"')
        .instant(f, ivs[j]!.end)
        .ascii('"}');
    }
    out.ascii(']}');
  }
  return out.ascii(']}').bytes();
}
