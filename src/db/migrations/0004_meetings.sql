-- Meetings between users: the meeting (one-off or a recurring series), each of its
-- occurrences, and its participants. The time itself is held in `holds` (0002): one hold per
-- participant who is a user and per confirmed occurrence, source 'meeting', source_id = the
-- occurrence's id, so the exclusion constraint keeps meetings and bookings from overlapping.

CREATE TABLE meetings (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organizer_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title        text NOT NULL,
  description  text NOT NULL DEFAULT '',
  -- The organiser's zone when the series was (re)defined: the recurrence is expanded in it.
  timezone     text NOT NULL,
  -- Canonical RRULE value, or NULL for a one-off meeting.
  recurrence   text,
  -- The first occurrence as the series defines it (individual occurrences may be moved).
  start_at     timestamptz NOT NULL,
  end_at       timestamptz NOT NULL CHECK (end_at > start_at),
  status       text NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
  -- iCalendar SEQUENCE: grows with every change.
  sequence     integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meetings_start_idx ON meetings (start_at, id);
CREATE INDEX meetings_organizer_idx ON meetings (organizer_id, start_at, id);

-- Every occurrence of a meeting (a one-off has exactly one, number 1). A moved occurrence
-- keeps its number; a cancelled one keeps its row with status 'cancelled'.
CREATE TABLE meeting_occurrences (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  number     integer NOT NULL CHECK (number >= 1),
  start_at   timestamptz NOT NULL,
  end_at     timestamptz NOT NULL CHECK (end_at > start_at),
  status     text NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
  CONSTRAINT meeting_occurrences_number_key UNIQUE (meeting_id, number)
);
CREATE INDEX meeting_occurrences_time_idx ON meeting_occurrences (start_at, end_at);

-- The people invited, the organiser first. user_id is NULL for a guest (an e-mail address
-- that is no account). A declined participant's time is released.
CREATE TABLE meeting_participants (
  meeting_id uuid NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  position   integer NOT NULL,
  user_id    uuid REFERENCES users (id) ON DELETE CASCADE,
  email      text NOT NULL,
  status     text NOT NULL CHECK (status IN ('accepted', 'declined', 'invited')),
  PRIMARY KEY (meeting_id, position)
);
CREATE UNIQUE INDEX meeting_participants_email_key ON meeting_participants (meeting_id, lower(email));
CREATE UNIQUE INDEX meeting_participants_user_key ON meeting_participants (meeting_id, user_id);
CREATE INDEX meeting_participants_user_idx ON meeting_participants (user_id, meeting_id);
