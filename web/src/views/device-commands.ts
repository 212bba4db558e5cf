/**
 * Commands to a device from its panel in the command center: the buttons and
 * levels of its profile (*Nyalakan*, *Matikan*, dimming 0–100 %) for an
 * operator of its OPD or an admin, the live state of what was pressed
 * (sent → delivered → answered, or timed out) from the stream, and the history
 * (who pressed what, when, with what result). Viewers see the history only.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProfileCommand } from '../../../src/modules/devices/profiles.contract.js';
import type { Device } from '../../../src/modules/devices/devices.contract.js';
import type { Rpc, RpcState } from '../../../src/modules/rpc/rpc.contract.js';
import { api, ApiError } from '../api.js';
import { formatNumber } from '../format.js';
import { html } from '../html.js';
import { formatTime, getLang, texts } from '../i18n.js';
import { commandsOf, keySpecOf, labelOf as keyLabelOf, valueOf } from '../profiles.js';
import type { Me } from '../me.js';

export const cx = texts({
  commands: ['Perintah', 'Commands'],
  history: ['Riwayat perintah', 'Command history'],
  noHistory: ['Belum ada perintah', 'No commands yet'],
  send: ['Kirim', 'Send'],
  offlineNote: [
    'Perangkat luring: perintah disimpan dan dikirim saat perangkat tersambung lagi (berlaku 24 jam).',
    'The device is offline: the command is kept and sent when it connects again (valid for 24 hours).',
  ],
  waiting: ['Menunggu jawaban perangkat …', 'Waiting for the device to answer …'],
  viewerNote: ['Hanya operator OPD pemilik atau admin yang dapat mengirim perintah.', 'Only an operator of the owning OPD or an admin can send commands.'],
  when: ['Waktu', 'When'],
  who: ['Oleh', 'By'],
  what: ['Perintah', 'Command'],
  result: ['Hasil', 'Result'],
  rule: ['aturan', 'rule'],
  confirmedBy: ['dikonfirmasi', 'confirmed by'],
  answer: ['Jawaban', 'Answer'],
  state_queued: ['Antre (perangkat luring)', 'Queued (device offline)'],
  state_sent: ['Terkirim', 'Sent'],
  state_delivered: ['Diterima perangkat', 'Delivered'],
  state_successful: ['Dijawab', 'Answered'],
  state_successful_oneway: ['Terkirim ke perangkat', 'Delivered to the device'],
  state_timeout: ['Waktu habis: perangkat tidak menjawab', 'Timed out: the device did not answer'],
  state_expired: ['Kedaluwarsa: tidak pernah terkirim', 'Expired: never delivered'],
  state_failed: ['Gagal', 'Failed'],
  err_timeout: ['Perangkat tidak menjawab dalam waktu yang ditentukan.', 'The device did not answer in time.'],
  err_forbidden: ['Anda tidak berhak mengirim perintah ke perangkat ini.', 'You may not send commands to this device.'],
  err_refused: ['Perintah ditolak: token perangkat dicabut atau perintah tidak diizinkan untuk jenis perangkat ini.', 'Refused: the device’s token is revoked or its type does not accept this command.'],
  err_invalid: ['Nilai perintah tidak valid.', 'The command’s value is not valid.'],
  err_notFound: ['Perangkat tidak ditemukan.', 'The device was not found.'],
  err_offline: ['Perangkat tidak tersambung saat ini; perintah tidak terkirim.', 'The device is not connected now; the command was not sent.'],
  err_busy: ['Terlalu banyak perintah; coba lagi sebentar lagi.', 'Too many commands; try again in a moment.'],
  err_other: ['Perintah gagal dikirim.', 'The command could not be sent.'],
  outOfRangeValue: ['Nilai harus antara', 'The value must be between'],
  and: ['dan', 'and'],
});

/** What the command panel needs of a device. */
export type CommandTarget = Pick<Device, 'id' | 'type' | 'opdId' | 'online'>;

export type { Me, Rpc };
type Listener = (rpc: Rpc) => void;
const listeners = new Set<Listener>();
/** The command center hands each `rpc.updated` of the stream here. */
export function rpcUpdated(rpc: Rpc): void {
  for (const l of listeners) l(rpc);
}

const catchUps = new Set<() => Promise<unknown>>();
/** The command center calls this when the stream's commands are subscribed (again): each open panel reads what it missed. */
export function rpcCatchUp(): Promise<unknown> {
  return Promise.all([...catchUps].map((read) => read()));
}

/** How far a command went, for the steps shown (a state the contract adds is a type error here until it has its step). */
const STEP: Record<RpcState, number> = { queued: 0, sent: 1, delivered: 2, successful: 3, timeout: 3, expired: 3, failed: 3 };
/** The last step: answered, or ended without an answer. */
const isFinal = (state: RpcState) => STEP[state] === 3;

export const mayCommand = (me: Me | null, device: CommandTarget) => me !== null && (me.role === 'admin' || (me.role === 'operator' && me.opdId !== null && me.opdId === device.opdId));

/** A server's refusal in the screen's language: the code and status, never the server's English text in Indonesian. */
function errorText(e: unknown): string {
  if (!(e instanceof ApiError)) return cx('err_other');
  const known =
    e.code === 'DEVICE_OFFLINE'
      ? cx('err_offline')
      : e.status === 408 || e.status === 504 || /TIMEOUT/.test(e.code)
      ? cx('err_timeout')
      : e.status === 403
        ? cx('err_forbidden')
        : e.status === 404
          ? cx('err_notFound')
          : e.status === 409 || e.status === 422 || /REVOKED|NOT_ALLOWED/.test(e.code)
            ? cx('err_refused')
            : e.status === 400
              ? cx('err_invalid')
              : e.status === 429
                ? cx('err_busy')
                : cx('err_other');
  return getLang() === 'en' && e.message ? `${known} (${e.message})` : known;
}

/** The profile's command that was sent: the same method and, for a button, the same fixed params (*Matikan* and *Nyalakan* are both setPower). */
const commandOf = (commands: ProfileCommand[], method: string, params: unknown): ProfileCommand | undefined =>
  commands.find((c) => c.method === method && c.params !== undefined && JSON.stringify(c.params) === JSON.stringify(params)) ?? commands.find((c) => c.method === method && c.params === undefined) ?? commands.find((c) => c.method === method);
const labelOf = (command: ProfileCommand | undefined, method: string) => command?.label[getLang()] ?? method;
/** The device's answer in words: the fields its profile names, with label and unit (*Menyala: tidak*); all fields when it names none. */
function answerText(type: string | null | undefined, response: unknown): string {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return valueOf(type, '', response);
  const fields = Object.entries(response);
  const known = fields.filter(([key]) => keySpecOf(type, key) !== undefined);
  return (known.length > 0 ? known : fields).map(([key, value]) => `${keyLabelOf(type, key)}: ${valueOf(type, key, value)}`).join(' · ');
}
const stateText = (rpc: Pick<Rpc, 'state' | 'oneway'>) => (rpc.state === 'successful' && rpc.oneway ? cx('state_successful_oneway') : cx(`state_${rpc.state}`));
const paramsText = (command: ProfileCommand | undefined, params: unknown) =>
  command?.input && typeof params === 'number' ? `${formatNumber(params, getLang())}${command.input.unit ? ` ${command.input.unit}` : ''}` : command?.params !== undefined || params === null || params === undefined ? '' : JSON.stringify(params);

export function DeviceCommands({ device, me }: { device: CommandTarget; me: Me | null }) {
  const commands = commandsOf(device.type);
  const [history, setHistory] = useState<Rpc[] | null>(null);
  const [current, setCurrent] = useState<{ rpc: Partial<Rpc> & { state: RpcState; method: string }; error: string | null; offline: boolean } | null>(null);
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  /** the command in flight: its method and when it was pressed, to know its stream updates before the answer names its id */
  const pressed = useRef<{ method: string; at: number; id: string | null } | null>(null);

  const loadHistory = () =>
    api<Rpc[] | { items: Rpc[] }>('GET', `/devices/${device.id}/rpc?limit=20`)
      .then((a) => setHistory(Array.isArray(a) ? a : a.items))
      .catch(() => setHistory([]));

  useEffect(() => {
    void loadHistory();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener: Listener = (rpc) => {
      if (rpc.deviceId !== device.id) return;
      const mine = pressed.current;
      if (mine && (mine.id === rpc.id || (mine.id === null && rpc.method === mine.method && rpc.createdAt >= mine.at - 5_000))) {
        mine.id = rpc.id;
        setCurrent((c) => (c && STEP[rpc.state] >= STEP[c.rpc.state] ? { ...c, rpc: { ...c.rpc, ...rpc } } : c));
      }
      // The history follows within a second, once per burst of updates.
      clearTimeout(timer);
      timer = setTimeout(loadHistory, isFinal(rpc.state) ? 0 : 800);
    };
    listeners.add(listener);
    // Commands sent, and the steps of the one pressed here, while the connection was down.
    const catchUp = () => {
      const id = pressed.current?.id;
      return Promise.all([loadHistory(), id ? api<Rpc>('GET', `/rpc/${encodeURIComponent(id)}`).then(listener, () => {}) : null]);
    };
    catchUps.add(catchUp);
    return () => {
      listeners.delete(listener);
      catchUps.delete(catchUp);
      clearTimeout(timer);
    };
  }, [device.id]);

  if (commands.length === 0) return null;
  const allowed = mayCommand(me, device);

  const press = async (command: ProfileCommand, params: unknown) => {
    const offline = device.online === false;
    pressed.current = { method: command.method, at: Date.now(), id: null };
    setCurrent({ rpc: { method: command.method, state: offline ? 'queued' : 'sent', oneway: command.oneway, params }, error: null, offline });
    setBusy(true);
    try {
      const body = { method: command.method, params, oneway: command.oneway, timeout: 10_000, persistent: offline };
      const answer = await api<unknown>('POST', `/devices/${device.id}/rpc`, body);
      // A persistent or one-way call answers at once with its id and state; a two-way call with the device's answer.
      if (offline || command.oneway) {
        const accepted = answer as { rpcId: string; state: RpcState };
        if (pressed.current) pressed.current.id = accepted.rpcId;
        setCurrent((c) => c && { ...c, rpc: { ...c.rpc, id: accepted.rpcId, state: STEP[accepted.state] >= STEP[c.rpc.state] ? accepted.state : c.rpc.state } });
      } else {
        setCurrent((c) => c && { ...c, rpc: { ...c.rpc, state: 'successful', response: answer } });
      }
    } catch (e) {
      const timedOut = e instanceof ApiError && (e.status === 408 || e.status === 504 || /TIMEOUT/.test(e.code));
      setCurrent((c) => c && { ...c, rpc: { ...c.rpc, state: timedOut ? 'timeout' : 'failed' }, error: errorText(e) });
    } finally {
      setBusy(false);
      void loadHistory();
    }
  };

  const level = (command: ProfileCommand) => {
    const input = command.input!;
    const text = levels[command.method] ?? String(input.min);
    const value = Number(text.trim().replace(',', '.'));
    const valid = text.trim() !== '' && Number.isFinite(value) && value >= input.min && value <= input.max;
    const unit = input.unit ? ` ${input.unit}` : '';
    return html`<form
      class="row cmd-level"
      onSubmit=${(e: Event) => {
        e.preventDefault();
        if (valid) void press(command, value);
      }}
    >
      <label
        >${command.label[getLang()]} (${formatNumber(input.min, getLang())}–${formatNumber(input.max, getLang())}${unit})
        <input type="number" name=${`level-${command.method}`} min=${input.min} max=${input.max} step=${input.step} value=${text} inputMode="decimal" onInput=${(e: Event) => setLevels({ ...levels, [command.method]: (e.target as HTMLInputElement).value })} />
      </label>
      <button type="submit" disabled=${busy || !valid} data-method=${command.method}>${cx('send')}</button>
      ${!valid && html`<span class="warn small" role="alert">${cx('outOfRangeValue')} ${formatNumber(input.min, getLang())} ${cx('and')} ${formatNumber(input.max, getLang())}${unit}</span>`}
    </form>`;
  };

  const steps: RpcState[] = current?.offline ? ['queued', 'sent', 'delivered', 'successful'] : ['sent', 'delivered', 'successful'];
  return html`
    <section class="cmd" data-testid="commands" aria-label=${cx('commands')}>
      <h3>${cx('commands')}</h3>
      ${allowed
        ? html`<div class="row wrap cmd-buttons">
              ${commands.filter((c) => !c.input).map((c) => html`<button type="button" disabled=${busy} data-method=${c.method} onClick=${() => press(c, c.params ?? null)}>${c.label[getLang()]}</button>`)}
            </div>
            ${commands.filter((c) => c.input).map(level)}
            ${device.online === false && html`<p class="warn small" data-testid="offline-note">${cx('offlineNote')}</p>`}`
        : html`<p class="muted small" data-testid="no-commands">${cx('viewerNote')}</p>`}
      ${current &&
      html`<div class="cmd-status" data-testid="command-status" data-state=${current.rpc.state} role="status">
        <strong>${labelOf(commandOf(commands, current.rpc.method, current.rpc.params), current.rpc.method)}</strong>
        <ol class="cmd-steps">
          ${steps.map((s) => {
            const reached = STEP[current.rpc.state] >= STEP[s] && !(s === 'successful' && current.rpc.state !== 'successful');
            return html`<li class=${reached ? 'done' : ''}>${stateText({ state: s, oneway: current.rpc.oneway ?? false })}</li>`;
          })}
          ${current.rpc.state !== 'successful' && isFinal(current.rpc.state) && html`<li class="bad">${stateText({ state: current.rpc.state, oneway: false })}</li>`}
        </ol>
        ${!isFinal(current.rpc.state) && !current.offline && html`<span class="muted small">${cx('waiting')}</span>`}
        ${current.rpc.state === 'successful' && current.rpc.response !== undefined && current.rpc.response !== null && html`<div class="small">${cx('answer')}: ${answerText(device.type, current.rpc.response)}</div>`}
        ${current.error && html`<p class="warn small" role="alert">${current.error}</p>`}
      </div>`}
      <details class="cmd-history" open=${true}>
        <summary>${cx('history')}</summary>
        ${history !== null && history.length === 0 && html`<p class="muted small">${cx('noHistory')}</p>`}
        ${history !== null &&
        history.length > 0 &&
        html`<table class="small" data-testid="command-history">
          <thead><tr><th>${cx('when')}</th><th>${cx('who')}</th><th>${cx('what')}</th><th>${cx('result')}</th></tr></thead>
          <tbody>
            ${history.map((r) => {
              const command = commandOf(commands, r.method, r.params);
              const by = r.requestedBy;
              const who = by === null ? '—' : by.kind === 'rule' ? `${cx('rule')}: ${by.name}${by.confirmedBy ? ` · ${cx('confirmedBy')} ${by.confirmedBy.name}` : ''}` : by.name;
              return html`<tr data-rpc=${r.id} data-state=${r.state}>
                <td>${formatTime(r.createdAt)}</td>
                <td>${who}</td>
                <td>${labelOf(command, r.method)} ${paramsText(command, r.params)}</td>
                <td>${stateText(r)}</td>
              </tr>`;
            })}
          </tbody>
        </table>`}
      </details>
    </section>
  `;
}
