-- Webhooks: a user's subscriptions to what happens to their bookings and meetings, and the
-- durable queue of deliveries. A delivery row is written in the same transaction as the
-- change it reports, so a crash cannot lose it; dispatchers claim due rows with a lease.
CREATE TABLE webhooks (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  url         text NOT NULL,
  -- Event names, or 'booking.*', 'meeting.*', '*'.
  events      text[] NOT NULL,
  secret      text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_user_idx ON webhooks (user_id, created_at, id);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY,
  -- Order of creation (timestamps of one transaction are equal): the log's order and the send order.
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event            text NOT NULL,
  -- The exact body sent (and signed), kept as text so every attempt sends the same bytes.
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_attempt_at  timestamptz,
  response_status  integer,
  last_error       text,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, seq DESC);
