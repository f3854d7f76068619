// The e-mail outbox for operators: what was sent, what is waiting, and (without SMTP_URL)
// the messages themselves, kept here instead of being sent.
import { Type } from 'typebox';
import type { AppContext } from '../../context';
import { principalOf } from '../../http/auth';
import { AppError } from '../../http/errors';
import { PageQuery, decodeCursor, pageOf, paginate } from '../../http/pagination';
import { problems } from '../../http/schemas';
import type { TypedApp } from '../../http/typed-app';
import * as repo from './repository';

const EmailSchema = Type.Object({
  id: Type.String(),
  event: Type.String(),
  booking_id: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  subject: Type.String(),
  text: Type.Union([Type.String(), Type.Null()], {
    description: "Dropped once sent (the invitee's copy holds their private links)",
  }),
  ics: Type.Union([Type.String(), Type.Null()], { description: 'The attached invitation; dropped once sent' }),
  ics_method: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('kept')]),
  attempts: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  sent_at: Type.Union([Type.String(), Type.Null()]),
});

function view(row: repo.EmailRow) {
  return {
    id: row.id,
    event: row.event,
    booking_id: row.booking_id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    ics: row.ics,
    ics_method: row.ics_method,
    status: row.status,
    attempts: row.attempts,
    error: row.last_error,
    created_at: row.created_at.toISOString(),
    sent_at: row.sent_at?.toISOString() ?? null,
  };
}

export function emailRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/admin/emails',
    {
      schema: {
        tags: ['operations'],
        summary: 'The e-mail outbox, newest first (admins only)',
        description:
          'E-mail to hosts and invitees on booking created, rescheduled and cancelled, each with an .ics invitation. With SMTP_URL ' +
          'they are sent (status pending → sent, or failed after 8 attempts); without it they are kept here (status kept).',
        querystring: PageQuery,
        response: { 200: pageOf(EmailSchema), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (!principal.isAdmin)
        throw new AppError('forbidden', 'Only administrators (ADMIN_USERNAMES) read the e-mail outbox');
      const limit = request.query.limit ?? 20;
      const before = request.query.cursor
        ? (decodeCursor(request.query.cursor, ['sequence']) as [number])[0]
        : undefined;
      const rows = await repo.listEmails(ctx.db, before, limit);
      return paginate(rows, limit, (r) => [Number(r.seq)], view);
    },
  );
}
