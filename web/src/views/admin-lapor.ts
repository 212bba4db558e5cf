/**
 * SP4N-LAPOR! (admin): the regency answers the national channel too. Export the
 * incidents in LAPOR!'s fields as a file to hand over, and import the reports
 * LAPOR! sent so they are handled in the same inbox.
 */
import { useState } from 'preact/hooks';
import { api, download } from '../api.js';
import { html } from '../html.js';
import { texts } from '../i18n.js';
import { fill, Message } from './admin-common.js';
import type { ImportResult } from '../../../src/modules/incidents/incidents.contract.ts';
import { OPEN_STATUSES } from '../../../src/modules/incidents/incidents.constants.ts';

export const lx = texts({
  tab: ['SP4N-LAPOR!', 'SP4N-LAPOR!'],
  exportTitle: ['Ekspor ke SP4N-LAPOR!', 'Export for SP4N-LAPOR!'],
  exportHint: [
    'Berkas CSV dengan kolom-kolom LAPOR! (nomor pelacakan, judul, isi, kategori, lokasi, status, tindak lanjut terakhir) untuk diserahkan ke admin LAPOR! daerah. Data pribadi pelapor tidak ikut.',
    'A CSV file in LAPOR!\'s columns (tracking number, title, text, category, location, status, latest follow-up) to hand to the regency\'s LAPOR! admin. The reporter\'s personal data is not in it.',
  ],
  which: ['Laporan', 'Reports'],
  whichOpen: ['Yang masih terbuka (baru, ditugaskan, dikerjakan)', 'Still open (new, assigned, in progress)'],
  whichDone: ['Yang sudah selesai atau ditutup', 'Resolved or closed'],
  whichAll: ['Semua', 'All'],
  download: ['Unduh CSV', 'Download CSV'],
  downloading: ['Menyiapkan …', 'Preparing …'],
  importTitle: ['Impor dari SP4N-LAPOR!', 'Import from SP4N-LAPOR!'],
  importHint: [
    'Pilih berkas CSV ekspor LAPOR!. Setiap laporan menjadi kejadian di kotak masuk kejadian dan diteruskan menurut kategorinya. Laporan yang nomor pelacakannya sudah pernah diimpor dilewati, jadi berkas yang sama boleh diimpor ulang.',
    'Choose a CSV file exported from LAPOR!. Each report becomes an incident in the inbox, routed by its category. Reports whose tracking number was imported before are skipped, so the same file may be imported again.',
  ],
  file: ['Berkas CSV', 'CSV file'],
  importing: ['Mengimpor …', 'Importing …'],
  result: ['{created} laporan baru, {skipped} sudah pernah diimpor, {errors} baris bermasalah.', '{created} new reports, {skipped} imported before, {errors} rows with problems.'],
  row: ['Baris', 'Line'],
  reason: ['Masalah', 'Problem'],
  newTickets: ['Tiket baru', 'New tickets'],
  notCsv: ['Pilih berkas .csv dari LAPOR!.', 'Choose a .csv file from LAPOR!.'],
});

/** The export's status filters: the open ones as the contract counts them, the finished ones (resolved, closed; not rejected), or all. */
const STATUSES = { open: OPEN_STATUSES.join(','), done: 'resolved,closed', all: '' } as const;

export function Lapor() {
  const [which, setWhich] = useState<keyof typeof STATUSES>('open');
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const exportFile = async () => {
    setBusy('export');
    setError(null);
    try {
      const status = STATUSES[which];
      await download(`/incidents/export/lapor${status ? `?status=${status}` : ''}`, 'lapor.csv');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const importFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setResult(null);
    setError(null);
    if (!/\.csv$/i.test(file.name) && file.type !== 'text/csv') {
      setError(lx('notCsv'));
      input.value = '';
      return;
    }
    setBusy('import');
    try {
      setResult(await api<ImportResult>('POST', '/incidents/import/lapor', await file.text(), 'text/csv'));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(null);
      input.value = '';
    }
  };

  return html`
    <section class="card">
      <h2>${lx('exportTitle')}</h2>
      <p class="small muted">${lx('exportHint')}</p>
      <div class="inline">
        <label>${lx('which')}
          <select name="which" value=${which} onChange=${(e: Event) => setWhich((e.target as HTMLSelectElement).value as keyof typeof STATUSES)}>
            <option value="open">${lx('whichOpen')}</option>
            <option value="done">${lx('whichDone')}</option>
            <option value="all">${lx('whichAll')}</option>
          </select>
        </label>
        <button type="button" data-testid="lapor-export" disabled=${busy !== null} onClick=${exportFile}>${busy === 'export' ? lx('downloading') : lx('download')}</button>
      </div>
    </section>
    <section class="card">
      <h2>${lx('importTitle')}</h2>
      <p class="small muted">${lx('importHint')}</p>
      <label class="file">${busy === 'import' ? lx('importing') : lx('file')}<input type="file" name="lapor-csv" accept=".csv,text/csv" disabled=${busy !== null} onChange=${importFile} /></label>
      <${Message} error=${error} />
      ${result &&
      html`<div data-testid="lapor-result">
        <p class="ok" role="status">${fill(lx('result'), { created: result.created, skipped: result.skipped, errors: result.errors.length })}</p>
        ${result.tickets.length > 0 && html`<p>${lx('newTickets')}: ${result.tickets.join(', ')}</p>`}
        ${result.errors.length > 0 &&
        html`<table>
          <thead><tr><th>${lx('row')}</th><th>${lx('reason')}</th></tr></thead>
          <tbody>${result.errors.map((r) => html`<tr><td class="num">${r.row}</td><td>${r.reason}</td></tr>`)}</tbody>
        </table>`}
      </div>`}
    </section>
  `;
}
