/** The platform API as the app uses it: a bearer token, JSON, and the live stream. */
import { refusalText } from './refusals.js';

/**
 * A refused or failed request. Its message is for the screen: in Bahasa
 * Indonesia a text by its code or status (the server writes English), in
 * English the server's own words; `serverMessage` keeps those.
 */
export class ApiError extends Error {
  readonly serverMessage: string;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
  ) {
    super(refusalText(status, code, message, body));
    this.serverMessage = message;
  }
}

let token: string | null = localStorage.getItem('cerdas.token');
export const session = {
  get token() {
    return token;
  },
  set(next: string | null) {
    token = next;
    if (next) localStorage.setItem('cerdas.token', next);
    else localStorage.removeItem('cerdas.token');
  },
};

declare global {
  interface Window {
    /** Answers index.html's inline script asked for before the app loaded, by path (see there). */
    cerdasEarly?: { token: string; answers: Record<string, Promise<Response> | undefined> };
  }
}

/** The answer index.html asked for early for this GET, once, if it was asked with the current session. */
function takeEarly(method: string, path: string): Promise<Response> | undefined {
  const early = window.cerdasEarly;
  if (method !== 'GET' || !early || early.token !== token) return undefined;
  const answer = early.answers[path];
  if (answer) early.answers[path] = undefined;
  return answer;
}

export async function api<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const early = takeEarly(method, path);
  if (early) {
    const res = await early.catch(() => null);
    if (res) return answer<T>(res, path);
  }
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : contentType === 'application/json' ? JSON.stringify(body) : (body as string) });
  return answer<T>(res, path);
}

/** A multipart upload with the session's token (api() sends JSON or text only). */
export async function upload<T = any>(path: string, fields: Record<string, string | Blob>, fileName?: string): Promise<T> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Blob) form.append(k, v, fileName ?? (v as File).name ?? 'file');
    else form.append(k, v);
  }
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  return answer<T>(await fetch(`/api/v1${path}`, { method: 'POST', headers, body: form }), path);
}

/** The JSON of an answer, or its error as an ApiError; an expired session goes back to the login page. */
async function answer<T>(res: Response, path: string): Promise<T> {
  const text = await res.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/auth/login') {
      session.set(null);
      location.hash = '#/login';
    }
    throw new ApiError(res.status, data?.error?.code ?? 'ERROR', data?.error?.message ?? res.statusText, data);
  }
  return data as T;
}

/** Fetch a file with the token and hand it to the browser as a download. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(`/api/v1${path}`, { headers });
  if (!res.ok) await answer(res, path);
  const blob = await res.blob();
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * `read` wrapped so that only the answer of its newest call reaches `apply`: an answer that comes after the answer of
 * a call started later (a slow first read behind a catch-up, an earlier search) is dropped, not drawn over it. A failure
 * goes to `failed` when given (the newest call's only), else to the caller.
 */
export function newestOnly<T>(read: () => Promise<T>, apply: (answer: T) => void, failed?: (error: Error) => void): () => Promise<void> {
  let newest = 0;
  return async () => {
    const mine = ++newest;
    let answer: T;
    try {
      answer = await read();
    } catch (error) {
      if (!failed) throw error;
      if (mine === newest) failed(error as Error);
      return;
    }
    if (mine === newest) apply(answer);
  };
}

/** Every page of a list. */
export async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await api('GET', `${path}${sep}limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

type Handler = (message: any) => void;

/** Past this many live messages during one catch-up read (a read hung on a busy telemetry stream), they are not kept: the read runs again. */
const MAX_CATCH_UP_MESSAGES = 5000;

/** The live stream, reconnecting with backoff; subscriptions are sent again after a reconnect. */
export class Stream {
  private ws: WebSocket | null = null;
  private readonly subs = new Map<string, { topic: string; filter?: unknown }>();
  private readonly handlers = new Set<Handler>();
  private readonly catchUps = new Map<string, () => Promise<unknown>>();
  /** per subscription, one list per catch-up read on its way (a reconnect can start a second): the messages since it began */
  private readonly arrivedDuringCatchUp = new Map<string, Set<unknown[]>>();
  private retry = 500;
  private stopped = false;
  onState: (connected: boolean) => void = () => {};

  connect(): void {
    if (!token || this.stopped) return;
    // The token goes as a subprotocol, not in the URL, which proxies and servers write to their logs.
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`;
    const ws = new WebSocket(url, ['cerdas.v1', `cerdas.bearer.${token}`]);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 500;
      this.onState(true);
      for (const [id, s] of this.subs) ws.send(JSON.stringify({ type: 'subscribe', id, ...s }));
    };
    ws.onmessage = (e) => {
      const message = JSON.parse(e.data as string);
      if (message.type === 'subscribed') this.startCatchUp(message.id);
      for (const arrived of this.arrivedDuringCatchUp.get(message.subscription) ?? []) if (arrived.length <= MAX_CATCH_UP_MESSAGES) arrived.push(message);
      this.deliver(message);
    };
    ws.onclose = (e) => {
      this.onState(false);
      if (this.stopped) return;
      // 4001: the session ended (password changed, account disabled, logged out elsewhere): back to the login page.
      if (e.code === 4001) {
        session.set(null);
        location.hash = '#/login';
        return;
      }
      setTimeout(() => this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 15_000);
    };
  }

  subscribe(id: string, topic: string, filter?: unknown): void {
    this.subs.set(id, { topic, filter });
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'subscribe', id, topic, filter }));
  }

  /**
   * Runs `read` each time the server confirms subscription `id`: the first time, and after every reconnect, so what
   * changed before the subscription (or while the connection was down) is read again. The subscription's messages that
   * arrive while `read` is on its way are handed to the handlers once more after it, in order: an answer read just
   * before a change must not undo the change its live message has already shown.
   */
  catchUp(id: string, read: () => Promise<unknown>): void {
    this.catchUps.set(id, read);
  }

  private startCatchUp(id: string): void {
    const read = this.catchUps.get(id);
    if (!read || this.stopped) return;
    const arrived: unknown[] = [];
    const open = this.arrivedDuringCatchUp.get(id) ?? new Set();
    this.arrivedDuringCatchUp.set(id, open.add(arrived));
    // Replayed also when the read failed: whatever it changed before failing must not hide a newer live message.
    read()
      .catch(() => {})
      .finally(() => {
        open.delete(arrived);
        if (open.size === 0 && this.arrivedDuringCatchUp.get(id) === open) this.arrivedDuringCatchUp.delete(id);
        if (arrived.length > MAX_CATCH_UP_MESSAGES) this.startCatchUp(id);
        else for (const message of arrived) this.deliver(message);
      });
  }

  private deliver(message: unknown): void {
    if (this.stopped) return;
    for (const h of this.handlers) h(message);
  }

  on(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  close(): void {
    this.stopped = true;
    this.arrivedDuringCatchUp.clear();
    this.ws?.close();
  }
}
