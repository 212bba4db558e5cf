/**
 * The contract of commands to devices (ThingsBoard's server-side RPC): what
 * the REST API takes and answers, what the stream and the web app show.
 */
import { Type, type Static } from 'typebox';

/**
 * queued: waiting for the device (persistent RPC to an offline device);
 * sent: written to the device's session (MQTT) or long poll (HTTP);
 * delivered: the device acknowledged it (MQTT PUBACK, or an HTTP poll took it);
 * successful: the device answered (two-way) or it was delivered (one-way);
 * timeout: no answer in time; expired: never delivered before its expiry;
 * failed: refused on the way (revoked device, session closed).
 */
export const RPC_STATES = ['queued', 'sent', 'delivered', 'successful', 'timeout', 'expired', 'failed'] as const;
export type RpcState = (typeof RPC_STATES)[number];
/** States an RPC never leaves. */
export const RPC_FINAL_STATES: readonly RpcState[] = ['successful', 'timeout', 'expired', 'failed'];

export const RpcState = Type.Enum([...RPC_STATES]);

export const SendRpcBody = Type.Object({
  method: Type.String({ minLength: 1, maxLength: 100 }),
  params: Type.Optional(Type.Unknown()),
  /** ms to wait for the answer of a two-way call (and for delivery of a non-persistent one) */
  timeout: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 })),
  oneway: Type.Optional(Type.Boolean({ default: false })),
  /** kept and delivered when the device next connects, until `expirationTime` */
  persistent: Type.Optional(Type.Boolean({ default: false })),
  /** ms since epoch after which a persistent RPC that was not delivered expires; default: 24 h after it was made */
  expirationTime: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type SendRpcBody = Static<typeof SendRpcBody>;

export const Rpc = Type.Object({
  id: Type.String({ format: 'uuid' }),
  deviceId: Type.String({ format: 'uuid' }),
  /** the integer id the device sees in `v1/devices/me/rpc/request/$id` */
  requestId: Type.Integer(),
  method: Type.String(),
  params: Type.Unknown(),
  oneway: Type.Boolean(),
  persistent: Type.Boolean(),
  state: RpcState,
  /** the device's answer (two-way), or null */
  response: Type.Unknown(),
  error: Type.Union([Type.String(), Type.Null()]),
  /** who pressed it: a user (name kept, so history survives the user) or a rule */
  requestedBy: Type.Union([
    Type.Object({ kind: Type.Literal('user'), userId: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
    Type.Object({
      kind: Type.Literal('rule'),
      ruleId: Type.Union([Type.String(), Type.Null()]),
      /** the rule's name */
      name: Type.String(),
      /** who confirmed the rule's proposal; absent: the rule sent it on its own */
      confirmedBy: Type.Optional(Type.Object({ userId: Type.String(), name: Type.String(), role: Type.String() })),
    }),
    Type.Null(),
  ]),
  createdAt: Type.Number(),
  sentAt: Type.Union([Type.Number(), Type.Null()]),
  deliveredAt: Type.Union([Type.Number(), Type.Null()]),
  answeredAt: Type.Union([Type.Number(), Type.Null()]),
  expiresAt: Type.Number(),
});
export type Rpc = Static<typeof Rpc>;

/** What a one-way or persistent call answers at once (ThingsBoard: `{"rpcId"}`). */
export const RpcAccepted = Type.Object({ rpcId: Type.String({ format: 'uuid' }), state: RpcState });
export type RpcAccepted = Static<typeof RpcAccepted>;

export const RpcPage = Type.Object({ items: Type.Array(Rpc), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type RpcPage = Static<typeof RpcPage>;

export const RpcListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type RpcListQuery = Static<typeof RpcListQuery>;

/** What a device receives: on `v1/devices/me/rpc/request/$id` (without `id`), or as the answer of its HTTP long poll. */
export const DeviceRpcRequest = Type.Object({ id: Type.Integer(), method: Type.String(), params: Type.Unknown() });
export type DeviceRpcRequest = Static<typeof DeviceRpcRequest>;

/** A device's own call to the platform (client-side RPC): `getSessionLimits`, `getCurrentTime`. */
export const ClientRpcBody = Type.Object({ method: Type.String({ minLength: 1, maxLength: 100 }), params: Type.Optional(Type.Unknown()) });
export type ClientRpcBody = Static<typeof ClientRpcBody>;

/**
 * Largest answer of a device kept with its call, and largest `params` of a
 * call, in bytes of JSON. Every call's answer is kept, read back in lists of
 * up to 200 and streamed to every screen: a device answering megabytes each
 * time would make the history unreadable. Past it, the call is still
 * answered, its answer replaced by null and the reason in `error`.
 */
export const MAX_RPC_BODY_BYTES = 64 * 1024;

/** Longest HTTP long poll of a device (`GET /api/v1/{token}/rpc?timeout=`), ms. */
export const MAX_RPC_POLL_MS = 60_000;
