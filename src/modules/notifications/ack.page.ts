/**
 * The small page behind a message's acknowledgement link, in the reader's
 * language: what the alarm is, and one button. Plain HTML with its own style,
 * no script, nothing fetched from elsewhere: it must open on any phone.
 */
import { levelName } from './format.ts';
import type { AckResult } from './responses.service.ts';
import type { Language } from './templates.ts';

type Stage = { stage: 'confirm'; peek: AckResult & { used: boolean } } | { stage: 'done'; result: AckResult } | { stage: 'error'; message: string };

const WORDS = {
  title: ['Tangani alarm', 'Acknowledge the alarm'],
  confirm: ['Tekan tombol untuk menyatakan Anda menangani alarm ini. Eskalasi ke atasan berhenti.', 'Press the button to say you are handling this alarm. The escalation to your superiors stops.'],
  button: ['Saya tangani', "I'm on it"],
  acknowledged: ['Terima kasih. Alarm ditandai ditangani oleh Anda; eskalasi berhenti.', 'Thank you. The alarm is marked acknowledged by you; the escalation stops.'],
  already: ['Alarm ini sudah ditangani sebelumnya; tidak ada yang berubah.', 'This alarm was acknowledged already; nothing changed.'],
  cleared: ['Alarm ini sudah selesai (kondisi kembali normal); tidak ada yang perlu ditangani.', 'This alarm has cleared (conditions are back to normal); there is nothing to acknowledge.'],
  used: ['Tautan ini sudah dipakai. Setiap tautan hanya berlaku sekali.', 'This link was used already. Each link works once.'],
  error: ['Tautan tidak dapat dipakai', 'The link cannot be used'],
  level: ['Tingkat', 'Level'],
} as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function ackPage(language: Language, stage: Stage): string {
  const w = (key: keyof typeof WORDS) => WORDS[key][language === 'id' ? 0 : 1];
  let body: string;
  if (stage.stage === 'error') {
    body = `<h1>${w('error')}</h1><p>${escape(stage.message)}</p>`;
  } else {
    const result = stage.stage === 'confirm' ? stage.peek : stage.result;
    const alarm = result.alarm;
    const incident = result.incident;
    const about = alarm
      ? `<p class="alarm"><strong>${escape(alarm.type)}</strong><br>${w('level')}: ${escape(levelName(alarm.severity, language))}</p>`
      : incident
        ? `<p class="alarm"><strong>${escape(incident.ticket)}</strong> ${escape(incident.title)}</p>`
        : '';
    if (stage.stage === 'confirm' && stage.peek.used) body = `<h1>${w('title')}</h1>${about}<p>${w('used')}</p>`;
    else if (stage.stage === 'confirm' && result.result === 'acknowledged') body = `<h1>${w('title')}</h1>${about}<p>${w('confirm')}</p><form method="post"><button type="submit">${w('button')}</button></form>`;
    else body = `<h1>${w('title')}</h1>${about}<p>${w(result.result)}</p>`;
  }
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>Cerdas — ${w('title')}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;margin:0;padding:24px;background:#f4f6f8;color:#14202b}main{max-width:480px;margin:auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px #0002}h1{font-size:1.3em;margin-top:0}.alarm{background:#fff4e5;border-left:4px solid #e8590c;padding:8px 12px}button{font:inherit;font-weight:600;width:100%;padding:14px;border:0;border-radius:8px;background:#0b5cad;color:#fff}</style></head>
<body><main>${body}</main></body></html>`;
}
