/**
 * The page behind a reporter's stop link, in the reader's language: the ticket,
 * and one button (a link preview or an email scanner that opens the link stops
 * nothing). Plain HTML, no script, nothing fetched from elsewhere.
 */
import type { StopResult } from './reporters.ts';
import type { Language } from './templates.ts';

type Stage = { stage: 'confirm'; peek: StopResult } | { stage: 'done'; result: StopResult } | { stage: 'error'; message: string };

const WORDS = {
  title: ['Berhenti menerima pesan', 'Stop these messages'],
  confirm: ['Tekan tombol untuk berhenti menerima pesan tentang laporan {t}. Laporan tetap ditangani dan dapat dipantau di halaman tiket.', 'Press the button to stop messages about report {t}. The report is still handled and can be followed on its ticket page.'],
  button: ['Berhenti', 'Stop'],
  done: ['Selesai. Anda tidak akan menerima pesan lagi tentang laporan {t}.', 'Done. You will get no more messages about report {t}.'],
  already: ['Pesan tentang laporan {t} sudah dihentikan sebelumnya.', 'Messages about report {t} were stopped already.'],
  error: ['Tautan tidak dapat dipakai', 'The link cannot be used'],
  follow: ['Pantau laporan', 'Follow the report'],
} as const;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function stopPage(language: Language, stage: Stage): string {
  const w = (key: keyof typeof WORDS, ticket = '') => escape(WORDS[key][language === 'id' ? 0 : 1]).replace('{t}', `<strong>${escape(ticket)}</strong>`);
  let body: string;
  if (stage.stage === 'error') body = `<h1>${w('error')}</h1><p>${escape(stage.message)}</p>`;
  else {
    const r = stage.stage === 'confirm' ? stage.peek : stage.result;
    const follow = `<p><a href="/lapor#/tiket/${encodeURIComponent(r.ticket)}">${w('follow')}</a></p>`;
    if (stage.stage === 'confirm' && !r.stopped) body = `<h1>${w('title')}</h1><p>${w('confirm', r.ticket)}</p><form method="post"><button type="submit">${w('button')}</button></form>${follow}`;
    else body = `<h1>${w('title')}</h1><p>${r.stopped && stage.stage === 'done' ? w('done', r.ticket) : w('already', r.ticket)}</p>${follow}`;
  }
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>Cerdas — ${w('title')}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;margin:0;padding:24px;background:#f4f6f8;color:#14202b}main{max-width:480px;margin:auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px #0002}h1{font-size:1.3em;margin-top:0}button{font:inherit;font-weight:600;width:100%;padding:14px;border:0;border-radius:8px;background:#0b5cad;color:#fff}</style></head>
<body><main>${body}</main></body></html>`;
}
