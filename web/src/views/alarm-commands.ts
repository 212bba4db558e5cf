/**
 * A command a rule proposes on its alarm (*Jalankan perintah: Nyalakan pompa 2?
 * Konfirmasi / Abaikan*), for an operator of the device's OPD or an admin to
 * decide; once decided, who did and what came of it.
 */
import { useState } from 'preact/hooks';
import type { RuleCommand } from '../../../src/modules/rules/rule-commands.contract.js';
import { api, ApiError } from '../api.js';
import { html } from '../html.js';
import { formatTime, getLang, texts } from '../i18n.js';
import { mayCommand, type Me } from './device-commands.js';

const ax = texts({
  run: ['Jalankan perintah', 'Run the command'],
  on: ['pada', 'on'],
  confirm: ['Konfirmasi', 'Confirm'],
  dismiss: ['Abaikan', 'Dismiss'],
  waitsFor: ['Menunggu konfirmasi operator OPD', 'Waiting for an operator of the OPD to confirm'],
  sentBy: ['Perintah dikirim, dikonfirmasi oleh', 'Command sent, confirmed by'],
  sentByRule: ['Perintah dikirim otomatis oleh aturan', 'Command sent by the rule itself'],
  dismissedBy: ['Perintah diabaikan oleh', 'Command dismissed by'],
  expired: ['Perintah tidak dijalankan: alarm selesai sebelum dikonfirmasi', 'Command not run: the alarm cleared before anyone confirmed'],
  failed: ['Perintah gagal dikirim', 'The command could not be sent'],
  decided: ['Perintah ini sudah diputuskan orang lain.', 'Someone else decided on this command already.'],
  error: ['Tidak dapat memproses perintah.', 'The command could not be processed.'],
});

export function AlarmCommands({ commands, deviceName, me }: { commands: RuleCommand[]; deviceName: (id: string) => string; me: Me | null }) {
  return html`${commands.map((c) => html`<${AlarmCommand} key=${c.id} command=${c} deviceName=${deviceName(c.deviceId)} me=${me} />`)}`;
}

function AlarmCommand({ command, deviceName, me }: { command: RuleCommand; deviceName: string; me: Me | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = `${command.label[getLang()]} — ${deviceName}`;
  const decide = async (what: 'confirm' | 'dismiss') => {
    setBusy(true);
    try {
      await api('POST', `/rule-commands/${command.id}/${what}`, {});
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? ax('decided') : ax('error'));
    } finally {
      setBusy(false);
    }
  };
  const by = command.decidedBy ? `${command.decidedBy.name} · ${formatTime(command.decidedAt)}` : '';
  return html`<div class=${`rule-command rc-${command.state}`} data-testid="rule-command" data-state=${command.state} data-command=${command.id}>
    ${command.state === 'pending' &&
    html`<span><strong>${ax('run')}:</strong> ${label}?</span>
      ${mayCommand(me, { id: command.deviceId, type: '', opdId: command.opdId, online: null })
        ? html`<div class="row">
            <button disabled=${busy} onClick=${() => decide('confirm')}>${ax('confirm')}</button>
            <button class="ghost" disabled=${busy} onClick=${() => decide('dismiss')}>${ax('dismiss')}</button>
          </div>`
        : html`<span class="muted small">${ax('waitsFor')}</span>`}`}
    ${command.state === 'sent' && html`<span class="small">✓ ${label}: ${command.decidedBy ? `${ax('sentBy')} ${by}` : ax('sentByRule')}</span>`}
    ${command.state === 'dismissed' && html`<span class="small muted">${label}: ${ax('dismissedBy')} ${by}</span>`}
    ${command.state === 'expired' && html`<span class="small muted">${label}: ${ax('expired')}</span>`}
    ${command.state === 'failed' && html`<span class="small warn">${label}: ${ax('failed')}${getLang() === 'en' && command.error ? ` (${command.error})` : ''}</span>`}
    ${error && html`<p class="warn small" role="alert">${error}</p>`}
  </div>`;
}
