// The `timezone` a request asks answers in: an IANA name, or when left out a default the
// use case chooses (the user's own, the host's, the organiser's). Checked once, here.
import { isTimeZone } from '../domain/calendar';
import { invalidField } from './errors';

export function askedTimeZone(asked: string | undefined, fallback: string): string {
  const zone = asked ?? fallback;
  if (!isTimeZone(zone)) throw invalidField('timezone', 'is not an IANA time zone name');
  return zone;
}
