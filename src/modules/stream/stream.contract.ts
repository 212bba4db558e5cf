import { Type, type Static } from 'typebox';
import { SEVERITIES } from '../alarms/alarms.contract.ts';

/**
 * The messages of the live stream (WebSocket `GET /api/v1/stream`, subprotocol
 * `cerdas.v1`), one JSON object per frame. Shared schemas (`$id`): the OpenAPI
 * document lists them under components.schemas and the stream route names them.
 */

export const TOPICS = ['telemetry', 'alarms', 'incidents', 'devices', 'notifications', 'duty', 'rpc'] as const;
export type Topic = (typeof TOPICS)[number];
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

const SubscriptionId = Type.String({ minLength: 1, maxLength: 100, description: "the client's own name for the subscription; every event it receives carries it" });

export const StreamFilter = Type.Object(
  {
    deviceIds: Type.Optional(Type.Array(Type.String(), { maxItems: 10_000 })),
    assetIds: Type.Optional(Type.Array(Type.String(), { maxItems: 10_000 })),
    keys: Type.Optional(Type.Array(Type.String(), { maxItems: 10_000, description: 'telemetry: only these keys' })),
    opdId: Type.Optional(Type.String()),
    severity: Type.Optional(Type.String({ description: `alarms: the lowest severity to receive, one of ${SEVERITIES.join(', ')}` })),
    alarmId: Type.Optional(Type.String({ maxLength: 100, description: 'notifications: only the messages about this alarm' })),
    incidentId: Type.Optional(Type.String({ maxLength: 100, description: 'notifications: only the messages about this incident' })),
  },
  { description: 'what a subscription receives; an operator sees only their OPD' },
);

/** What a client sends. */
export const StreamClientMessage = Type.Union(
  [
    Type.Object({ type: Type.Literal('subscribe'), id: SubscriptionId, topic: literals(TOPICS), filter: Type.Optional(StreamFilter) }, { description: 'start (or replace) a subscription' }),
    Type.Object({ type: Type.Literal('unsubscribe'), id: SubscriptionId }),
    Type.Object({ type: Type.Literal('ping'), id: Type.Optional(Type.String()) }),
  ],
  { $id: 'StreamClientMessage', description: 'a message from the client to the stream' },
);

const Event = (type: string, fields: Parameters<typeof Type.Object>[0], description: string) =>
  Type.Object({ type: Type.Literal(type), subscription: Type.String({ description: 'the id of the subscription it answers' }), ...fields }, { description });
const Entity = (description: string) => Type.Object({}, { additionalProperties: true, description });

/** What the stream sends. */
export const StreamServerMessage = Type.Union(
  [
    Type.Object({ type: Type.Literal('subscribed'), id: Type.String(), topic: Type.String() }),
    Type.Object({ type: Type.Literal('unsubscribed'), id: Type.String() }),
    Type.Object({ type: Type.Literal('pong'), id: Type.Optional(Type.String()) }),
    Type.Object(
      { type: Type.Literal('error'), id: Type.Optional(Type.String()), code: Type.String({ description: 'INVALID_JSON, VALIDATION_FAILED, FORBIDDEN, NOT_FOUND or INTERNAL' }), message: Type.String() },
      { description: 'a message that could not be followed; the connection stays open' },
    ),
    Event('telemetry', { deviceId: Type.String(), ts: Type.Integer({ description: 'ms since epoch, UTC' }), values: Type.Record(Type.String(), Type.Unknown()) }, 'one stored point of a device'),
    Event('device', { event: Type.Literal('status'), device: Type.Object({ id: Type.String(), online: Type.Boolean(), at: Type.Integer() }) }, 'a device went online or offline'),
    Event('alarm', { event: literals(['opened', 'updated', 'acknowledged', 'cleared'] as const), alarm: Entity('the alarm, as GET /api/v1/alarms/{id} gives it') }, 'an alarm changed'),
    Event('incident', { event: literals(['created', 'updated'] as const), incident: Entity('the incident, as GET /api/v1/incidents/{id} gives it') }, 'an incident changed'),
    Event('notification', { notification: Entity('the notification, as GET /api/v1/notifications lists it') }, 'a notification was queued, sent or failed'),
    Event('rule-command', { command: Entity('the command, as GET /api/v1/rule-commands lists it') }, 'a command a rule proposed or sent changed'),
    Event('rpc', { rpc: Entity('the command, as GET /api/v1/rpc/{rpcId} gives it') }, 'a command to a device changed'),
    Event('duty', { opdId: Type.String() }, "an OPD's duty roster changed: read it again"),
  ],
  { $id: 'StreamServerMessage', description: 'a message from the stream to the client' },
);

export type StreamClientMessage = Static<typeof StreamClientMessage>;
export type StreamServerMessage = Static<typeof StreamServerMessage>;
