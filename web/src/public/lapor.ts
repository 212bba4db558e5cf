/**
 * The public reporting page (no account), mobile first and small for a slow 3G connection:
 * report a problem (#/), follow a ticket (#/tiket/MR-000123), the map of reports (#/peta).
 * Leaflet is loaded only when a map is shown. Text from people is always rendered as text.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CopyButton } from '../copy.js';
import { formatCoordinates } from '../format.js';
import { html } from '../html.js';
import { getLang, onLangChange, setLang, texts } from '../i18n.js';
import { formatDate, iconOf, inRegion, publicConfig, PublicError, px, request, statusName, textOf, type Msg, type Attribute, type Open311Created, type Open311Request, type Photo, type PublicConfig, type PublicIncident, type Service, type ServiceDefinition } from './common.js';
import './lapor.css';

const tx = texts({
  step1: ['1. Apa masalahnya?', '1. What is the problem?'],
  step2: ['2. Foto', '2. Photo'],
  step3: ['3. Di mana?', '3. Where?'],
  step4: ['4. Ceritakan singkat', '4. Tell us briefly'],
  step5: ['5. Kontak Anda (boleh dikosongkan)', '5. Your contact (optional)'],
  intro: ['Laporkan jalan rusak, banjir, lampu jalan mati, sampah dan lainnya. Tanpa akun.', 'Report broken roads, floods, dark street lights, waste and more. No account needed.'],
  takePhoto: ['Ambil atau pilih foto', 'Take or choose a photo'],
  photoReady: ['Foto siap dikirim', 'Photo ready to send'],
  removePhoto: ['Hapus foto', 'Remove photo'],
  photoNotImage: ['Berkas ini bukan foto yang bisa dibaca. Pilih foto JPEG, PNG atau WebP.', 'This file is not a photo that can be read. Choose a JPEG, PNG or WebP photo.'],
  photoOptional: ['Foto membantu petugas, tetapi boleh tanpa foto.', 'A photo helps the officers, but it is optional.'],
  resizing: ['Mengecilkan foto …', 'Making the photo smaller …'],
  useMyLocation: ['Gunakan lokasi saya', 'Use my location'],
  pickOnMap: ['Pilih di peta', 'Pick on the map'],
  locating: ['Mencari lokasi …', 'Finding your location …'],
  locationSet: ['Lokasi', 'Location'],
  noGeo: ['Ponsel ini tidak memberi lokasi. Pilih lokasinya di peta.', 'This phone gives no location. Pick the place on the map.'],
  geoDenied: ['Izin lokasi ditolak. Izinkan lokasi di pengaturan peramban, atau pilih di peta.', 'Location permission was denied. Allow it in the browser settings, or pick on the map.'],
  geoFailed: ['Lokasi tidak dapat ditentukan. Coba lagi di tempat terbuka, atau pilih di peta.', 'Your location could not be found. Try again in the open, or pick on the map.'],
  outside: ['Lokasi ini di luar wilayah', 'This location is outside'],
  outsideHint: ['Laporan hanya untuk wilayah ini. Pilih titik lain di peta.', 'Reports are only for this region. Pick another spot on the map.'],
  tapMap: ['Ketuk peta di tempat masalahnya.', 'Tap the map where the problem is.'],
  address: ['Patokan / alamat (opsional)', 'Landmark / address (optional)'],
  description: ['Keterangan', 'Description'],
  descriptionHint: ['Mis. gorong-gorong ambruk di depan SD Negeri 3, jalan tidak bisa dilewati motor.', 'E.g. the culvert in front of the primary school collapsed, motorbikes cannot pass.'],
  name: ['Nama', 'Name'],
  phone: ['Nomor HP', 'Phone number'],
  email: ['Email', 'Email'],
  privacy: [
    'Nama, nomor HP dan email Anda hanya dilihat oleh OPD yang menangani laporan (dan admin), tidak pernah ditampilkan di halaman atau peta publik. Anda dapat meminta data ini dihapus kapan saja dengan kode pelapor yang diberikan setelah melapor (UU PDP 27/2022).',
    'Your name, phone number and email are seen only by the agency (OPD) handling the report (and admins), never on a public page or map. You may ask for them to be erased at any time with the reporter code given after you report (UU PDP 27/2022).',
  ],
  send: ['Kirim laporan', 'Send report'],
  sending: ['Mengirim …', 'Sending …'],
  uploading: ['Mengunggah foto …', 'Uploading the photo …'],
  needCategory: ['Pilih jenis masalahnya dulu.', 'Choose the kind of problem first.'],
  needLocation: ['Lokasi belum ada: gunakan lokasi Anda atau pilih di peta.', 'No location yet: use your location or pick on the map.'],
  needDescription: ['Tulis keterangan singkat.', 'Write a short description.'],
  needAttribute: ['Isian wajib belum diisi', 'A required field is empty'],
  badEmail: ['Alamat email tidak valid.', 'The email address is not valid.'],
  required: ['wajib', 'required'],
  choose: ['— pilih —', '— choose —'],
  thanks: ['Terima kasih! Laporan Anda diterima.', 'Thank you! Your report was received.'],
  yourTicket: ['Nomor tiket Anda', 'Your ticket number'],
  keepTicket: ['Simpan nomor ini untuk memantau laporan Anda.', 'Keep this number to follow your report.'],
  eraseCode: ['Kode pelapor', 'Reporter code'],
  eraseCodeHint: [
    'Hanya ditampilkan sekali, simpan baik-baik. Dengan kode ini Anda dapat menanggapi laporan ini dan meminta nama, HP dan email Anda dihapus.',
    'Shown only once, keep it safe. With this code you can answer on this report and ask for your name, phone and email to be erased.',
  ],
  rememberCode: ['Ingat kode ini di perangkat ini (jangan pada perangkat bersama)', 'Remember this code on this device (not on a shared device)'],
  followIt: ['Pantau laporan ini', 'Follow this report'],
  another: ['Buat laporan lain', 'Make another report'],
  ticketNumber: ['Nomor tiket', 'Ticket number'],
  show: ['Tampilkan', 'Show'],
  status: ['Status', 'Status'],
  category: ['Jenis', 'Category'],
  agency: ['Ditangani oleh', 'Handled by'],
  handling: ['Penanganan', 'Handling'],
  awaitingRouting: ['Menunggu verifikasi dan penerusan ke OPD', 'Awaiting verification and routing to the agency (OPD)'],
  reported: ['Dilaporkan', 'Reported'],
  // Each deadline named for what it is (the ticket's current stage), never an "expected" date it is not.
  due_route: ['Diteruskan ke OPD paling lambat', 'Forwarded to the agency by'],
  due_follow_up: ['Ditanggapi petugas paling lambat', 'First answer from the agency by'],
  due_resolve: ['Target selesai', 'Target to finish by'],
  pending: [
    'Laporan ini sedang ditinjau petugas. Teks, lokasi dan fotonya tampil untuk umum setelah disetujui; penanganannya tetap berjalan.',
    'This report is being reviewed. Its text, place and photo are shown publicly once approved; its handling goes on meanwhile.',
  ],
  codeFormat: ['8 huruf/angka, mis. ABCD-EFGH (huruf besar atau kecil)', '8 letters/digits, e.g. ABCD-EFGH (any case)'],
  updates: ['Perkembangan', 'Updates'],
  noUpdates: ['Belum ada tanggapan.', 'No response yet.'],
  upUpdate: ['Tanggapan petugas', "The agency's answer"],
  upReply: ['Tanggapan pelapor', "Reporter's answer"],
  upReplyHeld: ['Tanggapan diterima; teksnya tampil di sini setelah laporan disetujui petugas.', 'Answer received; its text shows here once staff approve the report.'],
  upMerged: ['{t} digabung ke laporan ini', '{t} was merged into this report'],
  upAutoClosed: ['Ditutup otomatis: pelapor tidak menanggapi dalam batas waktu setelah laporan selesai ditangani.', 'Closed automatically: the reporter did not answer within the time allowed after it was resolved.'],
  mergedNotice: ['Laporan ini digabung ke {t} karena masalahnya sama. Penanganannya dipantau di tiket itu.', 'This report was merged into {t}: it is the same problem. Its handling is followed on that ticket.'],
  openMerged: ['Pantau', 'Follow'],
  upDuplicate: ['Laporan ini duplikat dari {t}, pantau tiket itu', 'This report is a duplicate of {t}; follow that ticket'],
  erase: ['Hapus data pribadi saya', 'Erase my personal data'],
  eraseDone: ['Nama, nomor HP dan email Anda tidak lagi tersimpan pada laporan ini, dan kode ini tidak berlaku lagi.', 'Your name, phone number and email are no longer kept with this report, and this code no longer works.'],
  eraseWrong: ['Kode pelapor tidak cocok dengan tiket ini.', 'The reporter code does not match this ticket.'],
  eraseNote: ['Setelah data dihapus, kode ini tidak berlaku lagi, juga untuk menanggapi.', 'Once the data is erased the code no longer works, for answers too.'],
  reply: ['Tanggapi laporan ini', 'Answer this report'],
  replyText: ['Tanggapan Anda', 'Your answer'],
  replyPublic: ['Tanggapan tampil di halaman tiket ini. Jangan tulis nama, nomor HP atau data pribadi lain.', 'Answers are shown on this ticket page. Do not write your name, phone number or other personal data.'],
  replyAsk: [
    'Petugas menyatakan masalahnya selesai. Apakah sudah beres? "Masalah sudah beres" menutup laporan ini; "Belum beres" mengembalikannya ke petugas.',
    'The agency says the problem is solved. Is it fixed? "It is fixed" closes this report; "Not fixed yet" sends it back to the agency.',
  ],
  replyFixed: ['Masalah sudah beres', 'It is fixed'],
  replyNotFixed: ['Belum beres', 'Not fixed yet'],
  replySend: ['Kirim tanggapan', 'Send'],
  replyNeedText: ['Tulis tanggapan Anda dulu.', 'Write your answer first.'],
  replyNeedCode: ['Isi kode pelapor yang Anda terima saat melapor.', 'Enter the reporter code you got when you reported.'],
  replyWrong: ['Kode pelapor tidak cocok dengan tiket ini, atau data pribadi laporan ini sudah dihapus (kodenya tidak berlaku lagi).', 'The reporter code does not match this ticket, or the personal data of this report was erased (the code no longer works).'],
  replyGone: ['Laporan ini tidak dapat ditanggapi lagi. Muat ulang halaman ini untuk melihat statusnya.', 'This report takes no more answers. Reload this page to see its status.'],
  replyDone: ['Tanggapan Anda terkirim. Terima kasih.', 'Your answer was sent. Thank you.'],
  replyFixedDone: ['Terima kasih atas konfirmasinya: laporan ini ditutup.', 'Thank you for confirming: this report is closed.'],
  replyReopened: ['Tanggapan terkirim: laporan dibuka kembali dan diteruskan ke petugas.', 'Answer sent: the report is open again and back with the agency.'],
  replyClosed: ['Laporan ini sudah ditutup dan tidak dapat ditanggapi. Jika masalahnya muncul lagi, buat laporan baru.', 'This report is closed and takes no answers. If the problem is back, make a new report.'],
  allCategories: ['Semua jenis', 'All categories'],
  open: ['Terbuka', 'Open'],
  closed: ['Selesai / ditutup', 'Done / closed'],
  noReports: ['Belum ada laporan dengan lokasi.', 'No reports with a location yet.'],
  mapNote: ['Peta ini tidak memuat nama atau kontak pelapor.', 'This map shows no reporter names or contacts.'],
  approx: ['Lokasi bersifat perkiraan', 'Locations are approximate'],
  warnings: ['Peringatan dini', 'Early warnings'],
  notifyMe: ['Kabari saya tentang laporan ini', 'Tell me about this report'],
  notifyHint: [
    'Anda akan menerima pesan saat laporan diteruskan, ditangani dan selesai. Setiap pesan memuat tautan untuk berhenti.',
    'You will get a message when the report is passed on, handled and resolved. Every message has a link to stop them.',
  ],
  notifyBy: ['Kirim lewat', 'Send by'],
  notifyWhatsapp: ['WhatsApp', 'WhatsApp'],
  notifySms: ['SMS', 'SMS'],
  notifyEmail: ['Email', 'Email'],
  notifyNeedPhone: ['Isi nomor HP untuk dikabari lewat WhatsApp atau SMS.', 'Enter a mobile number to be told by WhatsApp or SMS.'],
  notifyNeedEmail: ['Isi alamat email untuk dikabari lewat email.', 'Enter an email address to be told by email.'],
});

/** The early-warning page, loaded when opened (it is not part of the first load). */
function LazyWarnings({ route }: { route: string }) {
  const [page, setPage] = useState<((p: { route: string }) => unknown) | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import('./warnings-public.js').then((m) => setPage(() => m.WarningsPage), () => setFailed(true));
  }, []);
  if (failed) return html`<div class="msg err" role="alert">${px('network')}</div>`;
  return page ? html`<${page} key=${route} route=${route} />` : html`<p class="muted">${px('loading')}</p>`;
}

// ------------------------------------------------------------------ routing and shell

function Icon({ code }: { code: string }) {
  return html`<svg class="ico" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d=${iconOf(code)} /></svg>`;
}

function useHash(): string {
  const [h, setH] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const on = () => setH(location.hash.slice(1) || '/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return h;
}

function App() {
  const route = useHash();
  const [, rerender] = useState(0);
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [error, setError] = useState<Msg | null>(null);
  useEffect(() => onLangChange(() => rerender((n) => n + 1)), []);
  const load = () => {
    setError(null);
    publicConfig().then(setConfig, (e) => setError(() => textOf(e)));
  };
  useEffect(load, []);
  const link = (href: string, label: string, on: boolean) => html`<a href=${href} class=${on ? 'on' : ''} aria-current=${on ? 'page' : undefined}>${label}</a>`;
  const ticketRoute = route.startsWith('/tiket');
  const warningsRoute = route.startsWith('/peringatan');
  return html`
    <header class="pub-top">
      <strong>${px('title')}${config ? html` · <span>${config.regionName}</span>` : ''}</strong>
      <button class="lang" onClick=${() => setLang(getLang() === 'id' ? 'en' : 'id')} aria-label="Bahasa / Language">${getLang() === 'id' ? 'English' : 'Bahasa Indonesia'}</button>
    </header>
    <nav class="pub-nav">${link('#/', px('newReport'), !ticketRoute && !warningsRoute && route !== '/peta')}${link('#/tiket', px('follow'), ticketRoute)}${link('#/peta', px('map'), route === '/peta')}${link('#/peringatan', tx('warnings'), warningsRoute)}</nav>
    <main class="pub">
      ${error && html`<div class="msg err" role="alert">${error()} <button onClick=${load}>${px('retry')}</button></div>`}
      ${!config && !error && html`<p class="muted">${px('loading')}</p>`}
      ${warningsRoute && html`<${LazyWarnings} route=${route} />`}
      ${config && !warningsRoute && (ticketRoute ? html`<${TicketPage} key=${route} initial=${decodeURIComponent(route.slice('/tiket/'.length))} />` : route === '/peta' ? html`<${MapPage} config=${config} />` : html`<${ReportForm} config=${config} />`)}
    </main>
  `;
}

// ------------------------------------------------------------------ the report form

const MAX_SIDE = 1600;
const MAX_UPLOAD = 10 * 1024 * 1024;

/** The photo, made at most 1600 px on its longest side and re-encoded as JPEG (~0.8) in the browser. */
async function resizePhoto(file: File): Promise<Blob> {
  let source: CanvasImageSource & { width: number; height: number };
  try {
    source = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    source = await new Promise<HTMLImageElement>((resolve, reject) => {
      const img = new Image();
      const url = URL.createObjectURL(file);
      img.onload = () => {
        URL.revokeObjectURL(url);
        resolve(img);
      };
      img.onerror = () => {
        URL.revokeObjectURL(url);
        reject(new Error('decode'));
      };
      img.src = url;
    });
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(source.width, source.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(source.width * scale));
  canvas.height = Math.max(1, Math.round(source.height * scale));
  canvas.getContext('2d')!.drawImage(source, 0, 0, canvas.width, canvas.height);
  if ('close' in source && typeof source.close === 'function') source.close();
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode'))), 'image/jpeg', 0.8));
}

interface Filed {
  ticket: string;
  secret: string | null;
}

/** The reporter codes of the reports filed (or answered) in this browser, by ticket: the answer form fills them in. */
const CODES = 'cerdas.lapor.codes';
function codeOf(ticket: string): string {
  try {
    return (JSON.parse(localStorage.getItem(CODES) ?? '{}') as Record<string, string>)[ticket] ?? '';
  } catch {
    return '';
  }
}
/** Remembers a ticket's code, only when the reporter asked; null forgets it (after erasure it no longer works). */
function keepCode(ticket: string, code: string | null): void {
  try {
    const all = JSON.parse(localStorage.getItem(CODES) ?? '{}') as Record<string, string>;
    if (code) all[ticket] = code;
    else delete all[ticket];
    localStorage.setItem(CODES, JSON.stringify(all));
  } catch {
    // storage full or off (private mode): the reporter types the code
  }
}

function ReportForm({ config }: { config: PublicConfig }) {
  const [services, setServices] = useState<Service[] | null>(null);
  const [loadError, setLoadError] = useState<Msg | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [attributes, setAttributes] = useState<Attribute[]>([]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [photo, setPhoto] = useState<{ blob: Blob; url: string; id: string | null } | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [photoError, setPhotoError] = useState<Msg | null>(null);
  const [where, setWhere] = useState<{ lat: number; lon: number } | null>(null);
  const [whereMsg, setWhereMsg] = useState<Msg | null>(null);
  const [locating, setLocating] = useState(false);
  const [showMap, setShowMap] = useState(false);
  const [address, setAddress] = useState('');
  const [description, setDescription] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [notify, setNotify] = useState(false);
  const [notifyBy, setNotifyBy] = useState<'whatsapp' | 'sms' | 'email'>('whatsapp');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ message: Msg; detail: string | null } | null>(null);
  const [filed, setFiled] = useState<Filed | null>(null);
  const lang = getLang();

  const loadServices = () => {
    setLoadError(null);
    request<Service[]>(`/open311/v2/services.json?lang=${lang}`).then(setServices, (e) => setLoadError(() => textOf(e)));
  };
  useEffect(loadServices, [lang]);
  useEffect(() => {
    setAttributes([]);
    const s = services?.find((x) => x.service_code === code);
    if (!s?.metadata) return;
    request<ServiceDefinition>(`/open311/v2/services/${encodeURIComponent(s.service_code)}.json?lang=${lang}`).then((d) => setAttributes(d.attributes), () => setAttributes([]));
  }, [code, services, lang]);

  const place = (lat: number, lon: number) => {
    setWhere({ lat, lon });
    setWhereMsg(inRegion(config, lat, lon) ? null : () => () => `${tx('outside')} ${config.regionName}. ${tx('outsideHint')}`);
    setError(null);
  };

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setWhereMsg(() => () => tx('noGeo'));
      setShowMap(true);
      return;
    }
    setLocating(true);
    setWhereMsg(null);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        place(Math.round(p.coords.latitude * 1e6) / 1e6, Math.round(p.coords.longitude * 1e6) / 1e6);
      },
      (e) => {
        setLocating(false);
        setWhereMsg(() => (e.code === e.PERMISSION_DENIED ? () => tx('geoDenied') : () => tx('geoFailed')));
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const choosePhoto = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setPhotoError(null);
    setPhotoBusy(true);
    try {
      const blob = await resizePhoto(file);
      if (blob.size > MAX_UPLOAD) throw new PublicError(413, () => px('tooLarge'));
      if (photo) URL.revokeObjectURL(photo.url);
      setPhoto({ blob, url: URL.createObjectURL(blob), id: null });
    } catch (err) {
      setPhotoError(() => (err instanceof PublicError ? err.text : () => tx('photoNotImage')));
    } finally {
      setPhotoBusy(false);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const missing = attributes.find((a) => a.required && !(values[a.code] ?? '').trim());
    const problem: Msg | null = !code
      ? () => tx('needCategory')
      : !where
        ? () => tx('needLocation')
        : !inRegion(config, where.lat, where.lon)
          ? () => `${tx('outside')} ${config.regionName}. ${tx('outsideHint')}`
          : !description.trim()
            ? () => tx('needDescription')
            : missing
              ? () => `${tx('needAttribute')}: ${missing.description}`
              : email.trim() && !/^[^@\s]+@[^@\s]+$/.test(email.trim())
                ? () => tx('badEmail')
                : notify && notifyBy !== 'email' && !phone.trim()
                  ? () => tx('notifyNeedPhone')
                  : notify && notifyBy === 'email' && !email.trim()
                    ? () => tx('notifyNeedEmail')
                    : null;
    if (problem) {
      setError({ message: problem, detail: null });
      return;
    }
    try {
      let photoId = photo?.id ?? null;
      if (photo && !photoId) {
        setBusy(tx('uploading'));
        const form = new FormData();
        form.append('photo', photo.blob, 'photo.jpg');
        const uploaded = await request<Photo>('/api/v1/photos', { method: 'POST', body: form });
        photoId = uploaded.id;
        setPhoto({ ...photo, id: photoId }); // a retry does not upload it again
      }
      setBusy(tx('sending'));
      const body = new URLSearchParams({ api_key: config.publicApiKey, service_code: code!, lat: String(where!.lat), long: String(where!.lon), description: description.trim() });
      if (address.trim()) body.set('address_string', address.trim());
      if (photoId) body.set('photo_id', photoId);
      if (name.trim()) body.set('first_name', name.trim());
      if (phone.trim()) body.set('phone', phone.trim());
      if (email.trim()) body.set('email', email.trim());
      if (notify) body.set('notify', notifyBy);
      for (const a of attributes) if ((values[a.code] ?? '').trim()) body.set(`attribute[${a.code}]`, values[a.code]!.trim());
      const res = await request<Open311Created>(`/open311/v2/requests.json?lang=${lang}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
      // The code is remembered only if the reporter asks (on the next screen): a shared phone must not hand it on.
      setFiled({ ticket: res[0]!.service_request_id, secret: res[0]!.erase_secret ?? null });
      scrollTo(0, 0);
    } catch (err) {
      const pe = err instanceof PublicError ? err : new PublicError(0, () => px('network'));
      const outside = pe.detail !== null && /outside/i.test(pe.detail);
      setError({ message: outside ? () => `${tx('outside')} ${config.regionName}. ${tx('outsideHint')}` : pe.text, detail: outside ? null : pe.detail });
    } finally {
      setBusy(null);
    }
  };

  if (filed) return html`<${Filed} filed=${filed} onAnother=${() => {
    setFiled(null);
    setDescription('');
    setValues({});
    setPhoto(null);
    setAddress('');
  }} />`;

  return html`
    <form class="report" onSubmit=${submit} novalidate>
      <p class="intro">${tx('intro')}</p>
      <fieldset>
        <legend>${tx('step1')}</legend>
        ${loadError && html`<div class="msg err" role="alert">${loadError()} <button type="button" onClick=${loadServices}>${px('retry')}</button></div>`}
        ${!services && !loadError && html`<p class="muted">${px('loading')}</p>`}
        <div class="cats" role="radiogroup" aria-label=${tx('step1')}>
          ${services?.map(
            (s) => html`<button type="button" role="radio" aria-checked=${s.service_code === code} class=${s.service_code === code ? 'cat on' : 'cat'} data-code=${s.service_code} onClick=${() => setCode(s.service_code)}>
              <${Icon} code=${s.service_code} /><span>${s.service_name}</span>
            </button>`,
          )}
        </div>
      </fieldset>

      <fieldset>
        <legend>${tx('step2')}</legend>
        <label class="file-btn">${tx('takePhoto')}<input type="file" accept="image/*" capture="environment" name="photo" onChange=${choosePhoto} /></label>
        ${photoBusy && html`<p class="muted">${tx('resizing')}</p>`}
        ${photoError && html`<div class="msg err" role="alert">${photoError()}</div>`}
        ${photo && html`<div class="photo"><img src=${photo.url} alt=${tx('photoReady')} /><div><span class="ok">✓ ${tx('photoReady')}</span> <span class="muted small">${Math.round(photo.blob.size / 1024)} KB</span><br /><button type="button" class="ghost" onClick=${() => setPhoto(null)}>${tx('removePhoto')}</button></div></div>`}
        ${!photo && html`<p class="muted small">${tx('photoOptional')}</p>`}
      </fieldset>

      <fieldset>
        <legend>${tx('step3')}</legend>
        <div class="row wrap">
          <button type="button" onClick=${locate} disabled=${locating} data-testid="locate">${locating ? tx('locating') : tx('useMyLocation')}</button>
          <button type="button" class="ghost" onClick=${() => setShowMap(!showMap)}>${tx('pickOnMap')}</button>
        </div>
        ${where && html`<p data-testid="where">${tx('locationSet')}: ${formatCoordinates(where.lon, where.lat, getLang())}</p>`}
        ${whereMsg && html`<div class="msg err" role="alert">${whereMsg()}</div>`}
        ${showMap && html`<${PickMap} config=${config} where=${where} onPick=${place} />`}
        <label>${tx('address')}<input name="address" maxLength=${500} value=${address} onInput=${(e: Event) => setAddress((e.target as HTMLInputElement).value)} /></label>
      </fieldset>

      <fieldset>
        <legend>${tx('step4')}</legend>
        <label>${tx('description')}<textarea name="description" rows=${4} maxLength=${5000} placeholder=${tx('descriptionHint')} value=${description} onInput=${(e: Event) => setDescription((e.target as HTMLTextAreaElement).value)}></textarea></label>
        ${attributes.map((a) => html`<${AttributeField} attribute=${a} value=${values[a.code] ?? ''} onChange=${(v: string) => setValues({ ...values, [a.code]: v })} />`)}
      </fieldset>

      <fieldset>
        <legend>${tx('step5')}</legend>
        <p class="privacy">${tx('privacy')}</p>
        <label>${tx('name')}<input name="name" autocomplete="name" maxLength=${200} value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} /></label>
        <label>${tx('phone')}<input name="phone" type="tel" autocomplete="tel" maxLength=${50} value=${phone} onInput=${(e: Event) => setPhone((e.target as HTMLInputElement).value)} /></label>
        <label>${tx('email')}<input name="email" type="email" autocomplete="email" maxLength=${200} value=${email} onInput=${(e: Event) => setEmail((e.target as HTMLInputElement).value)} /></label>
        <div class="notify">
          <label class="check"><input type="checkbox" name="notify" checked=${notify} onChange=${(e: Event) => setNotify((e.target as HTMLInputElement).checked)} /> ${tx('notifyMe')}</label>
          ${notify &&
          html`<p class="muted small">${tx('notifyHint')}</p>
            <fieldset class="channels" aria-label=${tx('notifyBy')}>
              ${(['whatsapp', 'sms', 'email'] as const).map((c) => html`<label class="check"><input type="radio" name="notify-by" value=${c} checked=${notifyBy === c} onChange=${() => setNotifyBy(c)} /> ${tx(c === 'whatsapp' ? 'notifyWhatsapp' : c === 'sms' ? 'notifySms' : 'notifyEmail')}</label>`)}
            </fieldset>`}
        </div>
      </fieldset>

      ${error && html`<div class="msg err" role="alert" data-testid="form-error">${error.message()}${error.detail && html`<br /><span class="small">${px('serverSaid')}: ${error.detail}</span>`}</div>`}
      <button type="submit" class="send" disabled=${busy !== null}>${busy ?? tx('send')}</button>
    </form>
  `;
}

function AttributeField({ attribute: a, value, onChange }: { attribute: Attribute; value: string; onChange: (v: string) => void }) {
  const label = html`${a.description}${a.required ? html` <span class="req">(${tx('required')})</span>` : ''}`;
  const on = (e: Event) => onChange((e.target as HTMLInputElement).value);
  if (a.values && a.values.length > 0)
    return html`<label>${label}<select name=${`attribute-${a.code}`} value=${value} onChange=${on}><option value="">${tx('choose')}</option>${a.values.map((v) => html`<option value=${v.key}>${v.name}</option>`)}</select></label>`;
  if (a.datatype === 'text') return html`<label>${label}<textarea name=${`attribute-${a.code}`} rows=${2} value=${value} onInput=${on}></textarea></label>`;
  return html`<label>${label}<input name=${`attribute-${a.code}`} type=${a.datatype === 'number' ? 'number' : a.datatype === 'datetime' ? 'datetime-local' : 'text'} inputMode=${a.datatype === 'number' ? 'decimal' : undefined} value=${value} onInput=${on} /></label>`;
}

/** Leaflet, loaded on the first tap of "pick on the map". */
function PickMap({ config, where, onPick }: { config: PublicConfig; where: { lat: number; lon: number } | null; onPick: (lat: number, lon: number) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const picker = useRef<{ set(lat: number, lon: number): void; destroy(): void } | null>(null);
  const [failed, setFailed] = useState<Msg | null>(null);
  useEffect(() => {
    let dead = false;
    import('./public-map.js')
      .then(async (m) => {
        if (dead || !el.current) return;
        const made = await m.pickOnMap(el.current, config, where, onPick);
        if (dead) made.destroy();
        else picker.current = made;
      })
      .catch(() => setFailed(() => () => px('network')));
    return () => {
      dead = true;
      picker.current?.destroy();
    };
  }, []);
  useEffect(() => {
    if (where) picker.current?.set(where.lat, where.lon);
  }, [where?.lat, where?.lon]);
  return html`<div><p class="muted small">${tx('tapMap')}</p>${failed && html`<div class="msg err" role="alert">${failed()}</div>`}<div class="pick-map" ref=${el} role="application" aria-label=${tx('pickOnMap')}></div></div>`;
}

function Filed({ filed, onAnother }: { filed: Filed; onAnother: () => void }) {
  const [remember, setRemember] = useState(false);
  const toggle = (e: Event) => {
    const on = (e.target as HTMLInputElement).checked;
    setRemember(on);
    keepCode(filed.ticket, on ? filed.secret : null);
  };
  return html`
    <section class="done" aria-live="polite">
      <h1>✓ ${tx('thanks')}</h1>
      <p>${tx('yourTicket')}</p>
      <p class="ticket" data-testid="ticket">${filed.ticket}</p>
      <div class="row"><${CopyButton} text=${filed.ticket} /><a class="button" href=${`#/tiket/${encodeURIComponent(filed.ticket)}`}>${tx('followIt')}</a></div>
      <p class="muted">${tx('keepTicket')}</p>
      ${filed.secret &&
      html`<div class="secret" data-testid="code-box"><strong>${tx('eraseCode')}</strong><div class="row"><code data-testid="erase-secret">${filed.secret}</code><${CopyButton} text=${filed.secret} /></div><p class="small">${tx('eraseCodeHint')}</p>
        <label class="check"><input type="checkbox" name="remember" checked=${remember} onChange=${toggle} /> ${tx('rememberCode')}</label></div>`}
      <button type="button" class="ghost" onClick=${onAnother}>${tx('another')}</button>
    </section>
  `;
}

// ------------------------------------------------------------------ the ticket page

/** A title written apart from the text (an operator's public title): one made of the text's first words says nothing the text does not. */
const ownTitle = (d: PublicIncident) => d.published && !d.description.startsWith(d.title.replace(/…$/, ''));

function TicketPage({ initial }: { initial: string }) {
  const [number, setNumber] = useState(initial);
  const [data, setData] = useState<PublicIncident | null>(null);
  const [error, setError] = useState<Msg | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async (ticket: string) => {
    const t = ticket.trim().toUpperCase();
    if (!t) return;
    setBusy(true);
    setError(null);
    try {
      setData(await request<PublicIncident>(`/api/v1/public/tickets/${encodeURIComponent(t)}`));
    } catch (e) {
      setData(null);
      setError(() => textOf(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (initial) void load(initial);
  }, []);
  const lang = getLang();
  return html`
    <section class="ticket-page">
      <form class="row" onSubmit=${(e: Event) => {
        e.preventDefault();
        const t = number.trim().toUpperCase();
        if (t) location.hash = `#/tiket/${encodeURIComponent(t)}`;
      }}>
        <label class="grow">${tx('ticketNumber')}<input name="ticket" value=${number} placeholder="MR-000123" autocapitalize="characters" onInput=${(e: Event) => setNumber((e.target as HTMLInputElement).value)} /></label>
        <button type="submit" disabled=${busy}>${tx('show')}</button>
      </form>
      ${error && html`<div class="msg err" role="alert">${error()}</div>`}
      ${busy && html`<p class="muted">${px('loading')}</p>`}
      ${data &&
      html`<article class="card" data-testid="ticket-detail">
        <h1 class="ticket">${data.ticket}</h1>
        <p><span class=${`pill st-${data.status}`} data-testid="status">${statusName(data.status)}</span></p>
        ${data.mergedIntoTicket &&
        html`<div class="msg merged" data-testid="merged"><p>${withTicket(tx('mergedNotice'), data.mergedIntoTicket)}</p><a class="button" href=${`#/tiket/${encodeURIComponent(data.mergedIntoTicket)}`}>${tx('openMerged')} ${data.mergedIntoTicket}</a></div>`}
        <dl class="facts">
          <div><dt>${tx('category')}</dt><dd><${Icon} code=${data.categoryCode} /> ${lang === 'id' ? data.categoryNameId : data.categoryNameEn}</dd></div>
          ${handledBy(data) !== null
            ? html`<div data-testid="agency"><dt>${tx('agency')}</dt><dd>${handledBy(data)}</dd></div>`
            : data.status === 'new' && html`<div data-testid="agency"><dt>${tx('handling')}</dt><dd>${tx('awaitingRouting')}</dd></div>`}
          <div><dt>${tx('reported')}</dt><dd>${formatDate(data.requestedAt)}</dd></div>
          ${data.expectedStage && data.expectedAt !== null && html`<div data-testid="deadline"><dt>${tx(`due_${data.expectedStage}` as 'due_route')}</dt><dd>${formatDate(data.expectedAt)}</dd></div>`}
        </dl>
        ${!data.published && html`<div class="msg info" data-testid="pending">${tx('pending')}</div>`}
        ${ownTitle(data) && html`<h2 class="ticket-title">${data.title}</h2>`}
        ${data.description && html`<p class="desc">${data.description}</p>`}
        ${data.address && html`<p class="muted">${data.address}</p>`}
        ${data.mediaUrl && /^(\/|https?:)/.test(data.mediaUrl) && html`<img class="ticket-photo" src=${data.mediaUrl} alt=${tx('step2')} loading="lazy" />`}
        <h2>${tx('updates')}</h2>
        <ol class="timeline" data-testid="updates">
          ${data.updates.length === 0 && html`<li class="muted">${tx('noUpdates')}</li>`}
          ${[...data.updates].reverse().map((u) => html`<${UpdateLine} u=${u} />`)}
        </ol>
        <${ReplyForm} key=${data.ticket} data=${data} onDone=${setData} />
        <${EraseForm} ticket=${data.ticket} />
      </article>`}
    </section>
  `;
}

/**
 * The OPD named only once the report was actually given to it (assigned, in
 * progress, resolved, or closed after one of those): a new report already
 * carries its category's OPD, which is a proposal until an operator routes it.
 */
const HANDLED: readonly string[] = ['assigned', 'in_progress', 'resolved'];
function handledBy(data: PublicIncident): string | null {
  if (!data.agency) return null;
  if (HANDLED.includes(data.status)) return data.agency;
  if (data.status === 'closed' && data.updates.some((u) => u.status !== null && HANDLED.includes(u.status))) return data.agency;
  return null;
}

/** A sentence with a link to a ticket in place of {t}. */
function withTicket(template: string, ticket: string | null) {
  const [before, after] = template.split('{t}');
  return ticket ? html`${before}<a href=${`#/tiket/${encodeURIComponent(ticket)}`}>${ticket}</a>${after}` : html`${before}—${after}`;
}

/** One public update, worded in the reader's language from its kind; text from people is shown as text. */
function UpdateLine({ u }: { u: PublicIncident['updates'][number] }) {
  const label = u.kind === 'update' ? tx('upUpdate') : u.kind === 'reporter_reply' ? tx('upReply') : null;
  const sentence =
    u.kind === 'merged' ? withTicket(tx('upMerged'), u.ticket) : u.kind === 'duplicate_of' ? withTicket(tx('upDuplicate'), u.ticket) : u.kind === 'auto_closed' ? tx('upAutoClosed') : u.kind === 'reporter_reply' && u.text === null ? tx('upReplyHeld') : null;
  return html`<li class=${`up-${u.kind}`}>
    <time>${formatDate(u.at)}</time>${u.status && html` <span class=${`pill st-${u.status}`}>${statusName(u.status)}</span>`}${label && html` <strong class="who">${label}</strong>`}
    ${sentence ? html`<p>${sentence}</p>` : u.text && html`<p>${u.text}</p>`}
  </li>`;
}

/** The reporter's answer, signed with their code; on a resolved report: fixed, or not yet (back to the agency). */
function ReplyForm({ data, onDone }: { data: PublicIncident; onDone: (d: PublicIncident) => void }) {
  const [code, setCode] = useState(() => codeOf(data.ticket));
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: Msg } | null>(null);
  const reopen = useRef(false);
  if (data.mergedIntoTicket) return null;
  if (data.status === 'closed' || data.status === 'rejected') {
    // Just closed by this reporter's "it is fixed": thank them first.
    return html`${msg?.ok && html`<div class="msg ok" role="status">${msg.text()}</div>`}<p class="muted reply-closed">${tx('replyClosed')} <a href="#/">${tx('another')}</a></p>`;
  }
  const send = async (e: Event) => {
    e.preventDefault();
    const problem = !text.trim() ? 'replyNeedText' : !code.trim() ? 'replyNeedCode' : null;
    if (problem) return setMsg({ ok: false, text: () => tx(problem) });
    setBusy(true);
    setMsg(null);
    try {
      const wasResolved = data.status === 'resolved';
      const again = wasResolved && reopen.current;
      const next = await request<PublicIncident>(`/api/v1/public/tickets/${encodeURIComponent(data.ticket)}/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret: code.trim(), text: text.trim(), reopen: again }),
      });
      setText('');
      setMsg({ ok: true, text: () => tx(again ? 'replyReopened' : next.status === 'closed' ? 'replyFixedDone' : 'replyDone') });
      onDone(next);
    } catch (err) {
      const status = err instanceof PublicError ? err.status : 0;
      setMsg({ ok: false, text: status === 403 ? () => tx('replyWrong') : status === 409 ? () => tx('replyGone') : textOf(err) });
    } finally {
      setBusy(false);
    }
  };
  const button = (label: 'replyFixed' | 'replyNotFixed' | 'replySend', again: boolean, cls = '') =>
    html`<button type="submit" class=${cls} disabled=${busy} data-reopen=${String(again)} onClick=${() => (reopen.current = again)}>${tx(label)}</button>`;
  return html`<form class="reply" onSubmit=${send} data-testid="reply" novalidate>
    <h2>${tx('reply')}</h2>
    ${data.status === 'resolved' && html`<p>${tx('replyAsk')}</p>`}
    <label>${tx('replyText')}<textarea name="reply" rows=${3} maxLength=${2000} value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea></label>
    <p class="muted small">${tx('replyPublic')}</p>
    <label>${tx('eraseCode')}<input name="code" value=${code} autocomplete="off" autocapitalize="characters" spellcheck=${false} placeholder="ABCD-EFGH" aria-describedby="code-format" onInput=${(e: Event) => setCode((e.target as HTMLInputElement).value)} /></label>
    <p class="small muted" id="code-format">${tx('codeFormat')}</p>
    <div class="row wrap">${data.status === 'resolved' ? [button('replyFixed', false), button('replyNotFixed', true, 'ghost')] : button('replySend', false)}</div>
    ${msg && html`<div class=${msg.ok ? 'msg ok' : 'msg err'} role=${msg.ok ? 'status' : 'alert'}>${msg.text()}</div>`}
  </form>`;
}

function EraseForm({ ticket }: { ticket: string }) {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: Msg } | null>(null);
  const erase = async (e: Event) => {
    e.preventDefault();
    if (!secret.trim()) return;
    try {
      await request(`/api/v1/public/tickets/${encodeURIComponent(ticket)}/erase`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: secret.trim() }) });
      setMsg({ ok: true, text: () => tx('eraseDone') });
      setSecret('');
      keepCode(ticket, null);
    } catch (err) {
      const pe = err as PublicError;
      setMsg({ ok: false, text: pe.status === 403 || pe.status === 400 ? () => tx('eraseWrong') : textOf(err) });
    }
  };
  return html`<details class="erase" open=${open} onToggle=${(e: Event) => setOpen((e.target as HTMLDetailsElement).open)}>
    <summary>${tx('erase')}</summary>
    <form onSubmit=${erase}>
      <label>${tx('eraseCode')}<input name="secret" value=${secret} autocomplete="off" autocapitalize="characters" spellcheck=${false} placeholder="ABCD-EFGH" onInput=${(e: Event) => setSecret((e.target as HTMLInputElement).value)} /></label>
      <p class="small muted">${tx('eraseNote')}</p>
      <button type="submit" class="danger">${tx('erase')}</button>
    </form>
    ${msg && html`<div class=${msg.ok ? 'msg ok' : 'msg err'} role=${msg.ok ? 'status' : 'alert'}>${msg.text()}</div>`}
  </details>`;
}

// ------------------------------------------------------------------ the public map

function MapPage({ config }: { config: PublicConfig }) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<{ show(p: unknown[]): void; destroy(): void } | null>(null);
  const [items, setItems] = useState<Open311Request[] | null>(null);
  const [services, setServices] = useState<Service[]>([]);
  const [category, setCategory] = useState('');
  const [error, setError] = useState<Msg | null>(null);
  const lang = getLang();
  const load = () => {
    setError(null);
    Promise.all([request<Open311Request[]>(`/open311/v2/requests.json?lang=${lang}`), request<Service[]>(`/open311/v2/services.json?lang=${lang}`)]).then(
      ([r, s]) => {
        setItems(r);
        setServices(s);
      },
      (e) => setError(() => textOf(e)),
    );
  };
  useEffect(load, [lang]);
  useEffect(() => {
    let dead = false;
    import('./public-map.js')
      .then(async (m) => {
        if (dead || !el.current) return;
        const made = await m.reportsMap(el.current, config, (t) => (location.hash = `#/tiket/${encodeURIComponent(t)}`));
        if (dead) return made.destroy();
        map.current = made;
        setItems((x) => (x ? [...x] : x)); // draw what is there
      })
      .catch(() => setError(() => () => px('network')));
    return () => {
      dead = true;
      map.current?.destroy();
    };
  }, []);
  const shown = (items ?? []).filter((r) => r.lat !== null && r.long !== null && (!category || r.service_code === category));
  useEffect(() => {
    map.current?.show(shown.map((r) => ({ ticket: r.service_request_id, lat: r.lat!, lon: r.long!, open: r.status === 'open', label: r.service_name })));
    (window as unknown as { cerdasPublicMarkers?: number }).cerdasPublicMarkers = map.current ? shown.length : undefined;
  }, [items, category]);
  return html`
    <section class="map-page">
      <div class="row wrap">
        <label>${tx('category')}<select name="category" value=${category} onChange=${(e: Event) => setCategory((e.target as HTMLSelectElement).value)}>
          <option value="">${tx('allCategories')}</option>
          ${services.map((s) => html`<option value=${s.service_code}>${s.service_name}</option>`)}
        </select></label>
        <span class="legend"><i class="dot open"></i>${tx('open')} <i class="dot closed"></i>${tx('closed')}</span>
      </div>
      ${error && html`<div class="msg err" role="alert">${error()} <button onClick=${load}>${px('retry')}</button></div>`}
      <div class="pub-map" ref=${el} role="application" aria-label=${px('map')}></div>
      <p class="muted small">${tx('mapNote')} ${tx('approx')}.</p>
      ${items && shown.length === 0 && html`<p class="muted">${tx('noReports')}</p>`}
      <ul class="report-list">
        ${shown.slice(0, 50).map((r) => html`<li><a href=${`#/tiket/${encodeURIComponent(r.service_request_id)}`}>${r.service_request_id}</a> · ${r.service_name} · <span class=${`pill st-${r.status}`}>${r.status === 'open' ? tx('open') : tx('closed')}</span></li>`)}
      </ul>
    </section>
  `;
}

document.documentElement.lang = getLang();
onLangChange(() => (document.documentElement.lang = getLang()));
render(html`<${App} />`, document.getElementById('app')!);
