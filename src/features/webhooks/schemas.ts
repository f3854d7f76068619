// Request and response shapes of webhooks and their deliveries.
import { Type, type Static } from 'typebox';
import { Uuid } from '../../http/schemas';
import { SUBSCRIBABLE } from '../notifications/events';

const Url = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'http(s) URL the deliveries are POSTed to',
  examples: ['https://example.com/hooks/slotwise'],
});
const Events = Type.Array(Type.Union(SUBSCRIBABLE.map((e) => Type.Literal(e))), {
  minItems: 1,
  maxItems: SUBSCRIBABLE.length,
  description: "Events to deliver: names, or 'booking.*', 'meeting.*', '*'",
  examples: [['booking.created', 'booking.cancelled', 'booking.rescheduled', 'meeting.*']],
});
const Secret = Type.String({
  minLength: 1,
  maxLength: 200,
  description:
    'Key of the HMAC-SHA256 signature of each delivery (one is generated when left out; it is shown only when set)',
});

export const WebhookBody = Type.Object({
  url: Url,
  events: Events,
  secret: Type.Optional(Secret),
  active: Type.Optional(Type.Boolean()),
});
export type WebhookBody = Static<typeof WebhookBody>;

export const WebhookPatch = Type.Object({
  url: Type.Optional(Url),
  events: Type.Optional(Events),
  secret: Type.Optional(Secret),
  active: Type.Optional(Type.Boolean()),
});
export type WebhookPatch = Static<typeof WebhookPatch>;

export const WebhookSchema = Type.Object({
  id: Uuid,
  url: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  secret: Type.Optional(
    Type.String({ description: 'Only in the answer that sets it (creation, or a PATCH/PUT with a secret)' }),
  ),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const DeliverySchema = Type.Object({
  id: Uuid,
  event: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  response_status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last attempt' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the last attempt failed' }),
  created_at: Type.String(),
  last_attempt_at: Type.Union([Type.String(), Type.Null()]),
  next_attempt_at: Type.Union([Type.String(), Type.Null()], { description: 'When pending: the next attempt' }),
  delivered_at: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown({ description: 'The body sent' }),
});

export const DeliveryParams = Type.Object({ id: Uuid, delivery_id: Uuid });
