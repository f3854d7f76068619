-- External calendars a user links (SPEC section 5): for now read-only iCalendar feeds. Their
-- busy time, read on linking and refreshed in the background, blocks the user's availability
-- and slots. When a feed cannot be read, the busy time last read stays and the error is shown.
CREATE TABLE calendars (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider      text NOT NULL CHECK (provider IN ('ics')),
  name          text NOT NULL,
  url           text NOT NULL,
  busy_hash     text,
  busy_count    integer NOT NULL DEFAULT 0,
  synced_at     timestamptz,
  sync_error    text,
  next_sync_at  timestamptz NOT NULL,
  lease         uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calendars_user_idx ON calendars (user_id, created_at, id);
CREATE INDEX calendars_due_idx ON calendars (next_sync_at);

CREATE TABLE calendar_busy (
  calendar_id  uuid NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL,
  during       tstzrange NOT NULL
);
CREATE INDEX calendar_busy_user_idx ON calendar_busy USING gist (user_id, during);
CREATE INDEX calendar_busy_calendar_idx ON calendar_busy (calendar_id);
