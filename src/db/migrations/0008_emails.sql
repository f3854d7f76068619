-- E-mail to hosts and invitees when a booking is made, moved or cancelled, written in the
-- transaction of the change (like webhook deliveries). With SMTP_URL set they are sent
-- (retried on failure) and their bodies dropped once sent, since the invitee's copy holds
-- their private links; without it they stay here, 'kept', for an operator to read
-- (GET /api/v1/admin/emails).
CREATE TABLE emails (
  id               uuid PRIMARY KEY,
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  booking_id       uuid,
  event            text NOT NULL,
  to_address       text NOT NULL,
  subject          text NOT NULL,
  text_body        text,
  ics              text,
  ics_method       text,
  status           text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'kept')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_error       text,
  created_at       timestamptz NOT NULL,
  sent_at          timestamptz
);
CREATE INDEX emails_due_idx ON emails (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX emails_seq_idx ON emails (seq DESC);
