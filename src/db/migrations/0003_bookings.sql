-- Event types (what can be booked), bookings of them, the holds each booking owns, and the
-- idempotency keys of booking writes. The holds table (0002) is what prevents double booking;
-- these tables only record who booked what.

CREATE TABLE event_types (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  slug          text NOT NULL,
  title         text NOT NULL,
  description   text NOT NULL DEFAULT '',
  kind          text NOT NULL CHECK (kind IN ('one_on_one', 'group', 'collective', 'round_robin')),
  seats         integer NOT NULL DEFAULT 1 CHECK (seats >= 1),
  -- Minutes; the first is the default duration.
  durations     integer[] NOT NULL CHECK (cardinality(durations) >= 1),
  slot_interval integer CHECK (slot_interval >= 1),
  date_range    jsonb NOT NULL,
  -- Start instants (epoch ms) of a one-off meeting's offered slots, or NULL.
  fixed_slots   jsonb,
  single_use    boolean NOT NULL DEFAULT false,
  -- Set by the booking that used up a single-use link (a conditional update: only one wins).
  used_at       timestamptz,
  buffer_before integer NOT NULL DEFAULT 0 CHECK (buffer_before >= 0),
  buffer_after  integer NOT NULL DEFAULT 0 CHECK (buffer_after >= 0),
  min_notice    integer NOT NULL DEFAULT 0 CHECK (min_notice >= 0),
  max_per_day   integer CHECK (max_per_day >= 1),
  location      text,
  questions     jsonb NOT NULL DEFAULT '[]',
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT event_types_owner_slug_key UNIQUE (owner_id, slug)
);

-- The hosts of an event type, in the owner's order; last_booked_at spreads round robin fairly.
-- accepted_at: when the host agreed to host it (the owner at once). A host who has not
-- accepted is never offered nor held: nobody fills another user's calendar without consent.
CREATE TABLE event_type_hosts (
  event_type_id  uuid NOT NULL REFERENCES event_types (id) ON DELETE CASCADE,
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  position       integer NOT NULL,
  last_booked_at timestamptz,
  accepted_at    timestamptz,
  PRIMARY KEY (event_type_id, user_id)
);
CREATE INDEX event_type_hosts_user_idx ON event_type_hosts (user_id);

-- The owner's schedules whose union is offered; none means the owner's default schedule.
-- A schedule in use cannot be deleted (the foreign key refuses; the schedules feature answers 409).
CREATE TABLE event_type_schedules (
  event_type_id uuid NOT NULL REFERENCES event_types (id) ON DELETE CASCADE,
  schedule_id   uuid NOT NULL REFERENCES schedules (id),
  position      integer NOT NULL,
  expires_on    date,
  PRIMARY KEY (event_type_id, schedule_id)
);
CREATE INDEX event_type_schedules_schedule_idx ON event_type_schedules (schedule_id);

CREATE TABLE bookings (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Kept when the event type is deleted: the booking and its holds stay.
  event_type_id    uuid REFERENCES event_types (id) ON DELETE SET NULL,
  owner_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title            text NOT NULL,
  status           text NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
  start_at         timestamptz NOT NULL,
  end_at           timestamptz NOT NULL CHECK (end_at > start_at),
  invitee_name     text NOT NULL,
  invitee_email    text NOT NULL,
  invitee_timezone text NOT NULL,
  guests           jsonb NOT NULL DEFAULT '[]',
  answers          jsonb NOT NULL DEFAULT '{}',
  location         text,
  -- SHA-256 of the invitee's self-service token; the token itself is never stored.
  token_hash       text NOT NULL UNIQUE,
  -- iCalendar SEQUENCE: grows with every change (reschedule, cancel).
  sequence         integer NOT NULL DEFAULT 0,
  cancel_reason    text,
  cancelled_by     text CHECK (cancelled_by IN ('host', 'invitee')),
  cancelled_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookings_owner_start_idx ON bookings (owner_id, start_at, id);
CREATE INDEX bookings_event_type_start_idx ON bookings (event_type_id, start_at) WHERE status = 'confirmed';

-- Who hosts each booking, and the hold that keeps their time while it is confirmed
-- (NULL once cancelled). Seats of a group slot share one hold.
CREATE TABLE booking_hosts (
  booking_id uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  hold_id    uuid REFERENCES holds (id) ON DELETE SET NULL,
  PRIMARY KEY (booking_id, user_id)
);
CREATE INDEX booking_hosts_user_idx ON booking_hosts (user_id, booking_id);
CREATE INDEX booking_hosts_hold_idx ON booking_hosts (hold_id);

-- The shared hold of each occupied group slot; the unique key makes concurrent first
-- bookings of one slot agree on one hold.
CREATE TABLE group_slots (
  event_type_id uuid NOT NULL REFERENCES event_types (id) ON DELETE CASCADE,
  start_at      timestamptz NOT NULL,
  end_at        timestamptz NOT NULL,
  hold_id       uuid NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  PRIMARY KEY (event_type_id, start_at, end_at)
);

-- Answers of writes sent with an Idempotency-Key: replayed for the same key and body
-- until expires_at; status NULL while the first request is still running (a retry may take
-- over such a row once its lease, counted from created_at, has run out).
CREATE TABLE idempotency_keys (
  scope        text NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  status       integer,
  body         jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
