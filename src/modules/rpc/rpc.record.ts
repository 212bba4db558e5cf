import type { Rpc } from './rpc.contract.ts';
import type { RpcRow } from './rpc.repository.ts';

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A stored call as the API, the stream and the web app show it. */
export function toRpc(row: RpcRow): Rpc {
  return {
    id: row.id,
    deviceId: row.device_id,
    requestId: Number(row.request_id),
    method: row.method,
    params: parseJson(row.params),
    oneway: row.oneway === 1,
    persistent: row.persistent === 1,
    state: row.state as Rpc['state'],
    response: parseJson(row.response),
    error: row.error,
    requestedBy: parseJson(row.requested_by) as Rpc['requestedBy'],
    createdAt: Number(row.created_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    answeredAt: row.answered_at === null ? null : Number(row.answered_at),
    expiresAt: Number(row.expires_at),
  };
}

/**
 * A device's answer as stored: its JSON when it is JSON, else its text (a
 * firmware that answers `ok` is still heard).
 */
export function answerOf(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
