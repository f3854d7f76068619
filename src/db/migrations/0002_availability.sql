-- Availability: schedules (weekly wall-clock hours in their own zone), their date
-- overrides, and the time each user has held (bookings and meetings) -- the table whose
-- exclusion constraint makes double booking impossible.

CREATE TABLE schedules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        text NOT NULL,
  timezone    text NOT NULL,
  -- {"monday": [{"start": "09:00", "end": "17:00"}], ...}; a weekday left out has no hours.
  weekly      jsonb NOT NULL DEFAULT '{}',
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_user_idx ON schedules (user_id, created_at);
CREATE UNIQUE INDEX schedules_one_default_per_user ON schedules (user_id) WHERE is_default;

-- One row per overridden date: its intervals replace the weekday's hours ([] = not available).
CREATE TABLE schedule_overrides (
  schedule_id uuid NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  date        date NOT NULL,
  intervals   jsonb NOT NULL,
  PRIMARY KEY (schedule_id, date)
);

-- Time held by a user: a confirmed booking (widened by its buffers) or a meeting occurrence.
-- Two holds of one user can never overlap, whatever their source; a group slot with seats
-- is one hold whose seats_taken counts the bookings sharing it.
CREATE TABLE holds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  during      tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
  source      text NOT NULL CHECK (source IN ('booking', 'meeting')),
  -- What the hold is for, to name it in conflicts (a booking id, a meeting id...).
  source_id   uuid,
  capacity    integer NOT NULL DEFAULT 1 CHECK (capacity >= 1),
  seats_taken integer NOT NULL DEFAULT 1 CHECK (seats_taken >= 0 AND seats_taken <= capacity),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT holds_no_overlap EXCLUDE USING gist (user_id WITH =, during WITH &&)
);
CREATE INDEX holds_source_idx ON holds (source, source_id);
