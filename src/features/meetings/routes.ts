// Meetings over HTTP: /api/v1/meetings (create, list), /meetings/{id} (read, PUT, PATCH, cancel,
// decline) and /meetings/{id}/occurrences/{n} (change or cancel one occurrence, or from it on).
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { IDEMPOTENCY_DESCRIPTION, idempotencyKeyOf, idempotent, sendAnswer } from '../../http/idempotency';
import { pageOf } from '../../http/pagination';
import { problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import * as occurrences from './occurrences';
import {
  ListQuery,
  MeetingBody,
  MeetingParams,
  MeetingPatch,
  MeetingView,
  OccurrenceParams,
  OccurrencePatch,
  ScopeQuery,
  ZoneQuery,
} from './schemas';
import * as meetings from './service';

const CHECKS =
  'Every participant who is a user must be available (default schedule with its overrides) and free at every ' +
  'occurrence; otherwise 409 `meeting_conflict` whose `conflicts: [{participant, occurrence, start, reason}]` ' +
  '(reason `unavailable` or `conflict`) lists every problem, and nothing is changed. A start in the past is a 400. ' +
  "Instants in the answer are in the organiser's time zone unless `?timezone=` is given.";

export function meetingRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['meetings'];
  app.post(
    '/api/v1/meetings',
    {
      schema: {
        tags,
        summary: 'Create a meeting (one-off or recurring)',
        description:
          'The organiser is a participant too. `participants` are usernames or e-mail addresses: an address of an ' +
          'account is that user, any other address is a guest (not checked, status `invited`); a name that is no ' +
          'user is a 400. Give `end` or `duration` (minutes, at most 24 hours). `recurrence` is an RRULE expanded in ' +
          "the organiser's time zone (at most 100 occurrences within 366 days). " +
          CHECKS +
          ' ' +
          IDEMPOTENCY_DESCRIPTION,
        querystring: ZoneQuery,
        body: MeetingBody,
        response: { 201: MeetingView, ...problems(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const answer = await idempotent(
        ctx,
        {
          key: idempotencyKeyOf(request),
          scope: `POST /api/v1/meetings ${principal.userId}`,
          payload: { body: request.body, timezone: request.query.timezone },
        },
        async () => ({
          status: 201,
          body: await meetings.createMeeting(ctx, principal, request.body, request.query.timezone),
        }),
      );
      return sendAnswer(reply, answer);
    },
  );

  app.get(
    '/api/v1/meetings',
    {
      schema: {
        tags,
        summary: 'Meetings you take part in',
        description:
          'Upcoming by default (an occurrence ends after now); `from`/`to` are inclusive dates in `timezone` ' +
          '(default yours). Ordered by start (a series by its first occurrence), then id; the cursor is stable ' +
          'while meetings are added. `status` filters confirmed or cancelled meetings.',
        querystring: ListQuery,
        response: { 200: pageOf(MeetingView), ...problems(400, 401) },
      },
    },
    async (request) => meetings.listMeetings(ctx, principalOf(request), request.query),
  );

  app.get(
    '/api/v1/meetings/:id',
    {
      schema: {
        tags,
        summary: 'A meeting you take part in',
        description: 'Anyone who is not a participant gets a 404.',
        params: MeetingParams,
        querystring: ZoneQuery,
        response: { 200: MeetingView, ...problems(400, 401, 404) },
      },
    },
    async (request) => meetings.getMeeting(ctx, principalOf(request), request.params.id, request.query.timezone),
  );

  const changeDescription =
    'Organiser only (other participants: 403). A new start, end/duration or recurrence re-expands the whole ' +
    'series from the new start, which must be upcoming: every occurrence is replaced, per-occurrence changes ' +
    "are dropped, and the holds are swapped in one transaction (the meeting's own old time never counts as a " +
    'conflict). New participants are checked at every upcoming occurrence; removed ones are freed. ' +
    '`status: "cancelled"` cancels the meeting (other fields are then ignored); a cancelled meeting cannot be ' +
    'changed (409). ' +
    CHECKS;
  app.put(
    '/api/v1/meetings/:id',
    {
      schema: {
        tags,
        summary: 'Replace a meeting',
        description:
          'The body is the whole meeting, as at creation (a left-out recurrence makes it a one-off). ' +
          changeDescription,
        params: MeetingParams,
        querystring: ZoneQuery,
        body: MeetingBody,
        response: { 200: MeetingView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      meetings.changeMeeting(
        ctx,
        principalOf(request),
        request.params.id,
        request.body,
        'replace',
        request.query.timezone,
      ),
  );
  app.patch(
    '/api/v1/meetings/:id',
    {
      schema: {
        tags,
        summary: 'Change the fields given (the whole series)',
        description: changeDescription,
        params: MeetingParams,
        querystring: ZoneQuery,
        body: MeetingPatch,
        response: { 200: MeetingView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      meetings.changeMeeting(
        ctx,
        principalOf(request),
        request.params.id,
        request.body,
        'patch',
        request.query.timezone,
      ),
  );

  app.post(
    '/api/v1/meetings/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a meeting (every occurrence)',
        description: "Organiser only. Frees every participant's time. Cancelling twice answers the cancelled meeting.",
        params: MeetingParams,
        querystring: ZoneQuery,
        response: { 200: MeetingView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => meetings.cancelMeeting(ctx, principalOf(request), request.params.id, request.query.timezone),
  );

  app.post(
    '/api/v1/meetings/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline a meeting you were invited to',
        description:
          'A participant other than the organiser (who cancels instead: 400) declines every occurrence: their time ' +
          'is freed and they stay listed with status `declined`, still able to see the meeting.',
        params: MeetingParams,
        querystring: ZoneQuery,
        response: { 200: MeetingView, ...problems(400, 401, 404, 409) },
      },
    },
    async (request) => meetings.declineMeeting(ctx, principalOf(request), request.params.id, request.query.timezone),
  );

  app.patch(
    '/api/v1/meetings/:id/occurrences/:n',
    {
      schema: {
        tags,
        summary: 'Move or cancel one occurrence, or from one occurrence on',
        description:
          'Organiser only. `n` is the 1-based occurrence number. With `?scope=this` (default) occurrence n moves to ' +
          'the new `start` and `end`/`duration` (each defaults to its current value). With `?scope=following` n and ' +
          "every later confirmed occurrence move together: each keeps its own date shifted by as many days as n's " +
          'and takes n\'s new local start time and length. `status: "cancelled"` cancels instead (time fields ' +
          'ignored). A cancelled or already started occurrence cannot be moved (409). ' +
          CHECKS,
        params: OccurrenceParams,
        querystring: ScopeQuery,
        body: OccurrencePatch,
        response: { 200: MeetingView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      occurrences.changeOccurrence(
        ctx,
        principalOf(request),
        request.params.id,
        request.params.n,
        request.body,
        request.query.scope ?? 'this',
        request.query.timezone,
      ),
  );

  app.post(
    '/api/v1/meetings/:id/occurrences/:n/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel one occurrence, or from one occurrence on',
        description:
          'Organiser only. `?scope=this` (default) cancels occurrence n; `?scope=following` cancels n and every later ' +
          "one (ending the series there). Frees everyone's time; a series with no confirmed occurrence left is cancelled.",
        params: OccurrenceParams,
        querystring: ScopeQuery,
        response: { 200: MeetingView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      occurrences.cancelOccurrence(
        ctx,
        principalOf(request),
        request.params.id,
        request.params.n,
        request.query.scope ?? 'this',
        request.query.timezone,
      ),
  );
}
