-- Bookings written into one chosen calendar per user (a CalDAV one): the event is put there
-- when a booking is made or moved and deleted when it is cancelled or leaves the user.
-- Queued in the booking's transaction and applied in order per (calendar, booking).
ALTER TABLE calendars ADD COLUMN write_bookings boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX calendars_one_write_per_user ON calendars (user_id) WHERE write_bookings;

CREATE TABLE calendar_writes (
  id               uuid PRIMARY KEY,
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  calendar_id      uuid NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
  booking_id       uuid NOT NULL,
  -- The event to put (iCalendar without METHOD), or NULL to delete it.
  ics              text,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  lease            uuid,
  last_error       text,
  created_at       timestamptz NOT NULL,
  done_at          timestamptz
);
CREATE INDEX calendar_writes_due_idx ON calendar_writes (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX calendar_writes_booking_idx ON calendar_writes (calendar_id, booking_id, seq);
