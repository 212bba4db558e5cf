/**
 * The settings of each kind of channel as form fields, in the order and words
 * an admin needs, mirroring the server's channel-config schemas; and the
 * conversion between the API's config and the form's strings.
 */
import { texts } from '../i18n.js';

/** How a field is edited and sent: an empty optional field is sent as null, an empty secret keeps the stored one. */
export type FieldKind = 'text' | 'optional' | 'number' | 'select' | 'secret' | 'json' | 'textarea' | 'checkbox';
export interface Field {
  name: string;
  kind: FieldKind;
  label: [string, string];
  hint?: [string, string];
  options?: [string, [string, string]][];
}

const gateway: Field[] = [
  { name: 'url', kind: 'text', label: ['Alamat gateway (URL)', 'Gateway URL'], hint: ['Boleh memuat {{to}}, {{text}}, {{id}}, {{apiKey}}, {{apiSecret}}', 'May hold {{to}}, {{text}}, {{id}}, {{apiKey}}, {{apiSecret}}'] },
  { name: 'method', kind: 'select', label: ['Metode', 'Method'], options: [['POST', ['POST', 'POST']], ['GET', ['GET (tanpa isi)', 'GET (no body)']]] },
  { name: 'contentType', kind: 'select', label: ['Format isi', 'Body format'], options: [['json', ['JSON', 'JSON']], ['form', ['Formulir (x-www-form-urlencoded)', 'Form (x-www-form-urlencoded)']]] },
  { name: 'body', kind: 'textarea', label: ['Isi permintaan', 'Request body'], hint: ['mis. {"phone":"{{to}}","message":"{{text}}"}', 'e.g. {"phone":"{{to}}","message":"{{text}}"}'] },
  { name: 'headers', kind: 'json', label: ['Header tambahan (JSON)', 'Extra headers (JSON)'], hint: ['mis. {"Authorization":"{{apiKey}}"}', 'e.g. {"Authorization":"{{apiKey}}"}'] },
  { name: 'messageIdPath', kind: 'optional', label: ['Letak id pesan di jawaban', 'Message id in the answer'], hint: ['mis. data.id', 'e.g. data.id'] },
  { name: 'numberFormat', kind: 'select', label: ['Format nomor', 'Number format'], options: [['digits', ['62812…', '62812…']], ['e164', ['+62812…', '+62812…']], ['local', ['0812…', '0812…']]] },
  { name: 'apiKey', kind: 'secret', label: ['Kunci API', 'API key'] },
  { name: 'apiSecret', kind: 'secret', label: ['Rahasia API kedua', 'Second API secret'] },
];

export const CHANNEL_FIELDS: Record<string, Field[]> = {
  email: [
    { name: 'host', kind: 'text', label: ['Server SMTP', 'SMTP server'], hint: ['mis. mail.musirawaskab.go.id', 'e.g. mail.musirawaskab.go.id'] },
    { name: 'port', kind: 'number', label: ['Port', 'Port'] },
    { name: 'security', kind: 'select', label: ['Keamanan', 'Security'], options: [['starttls', ['STARTTLS (587)', 'STARTTLS (587)']], ['tls', ['TLS sejak awal (465)', 'TLS from the start (465)']], ['none', ['Tanpa enkripsi (relay lokal saja)', 'None (local relay only)']]] },
    { name: 'user', kind: 'optional', label: ['Nama login SMTP', 'SMTP login'] },
    { name: 'password', kind: 'secret', label: ['Kata sandi SMTP', 'SMTP password'] },
    { name: 'fromAddress', kind: 'text', label: ['Alamat pengirim', 'Sender address'] },
    { name: 'fromName', kind: 'optional', label: ['Nama pengirim', 'Sender name'] },
    { name: 'maxConnections', kind: 'number', label: ['Koneksi terbuka', 'Open connections'] },
  ],
  telegram: [
    { name: 'botToken', kind: 'secret', label: ['Token bot (dari BotFather)', 'Bot token (from BotFather)'] },
    { name: 'botUsername', kind: 'text', label: ['Nama pengguna bot', "Bot's username"], hint: ['mis. CerdasMusiRawasBot', 'e.g. CerdasMusiRawasBot'] },
    { name: 'webhookSecret', kind: 'secret', label: ['Secret token webhook', 'Webhook secret token'], hint: ['16–256 huruf, angka, _ atau -', '16–256 letters, digits, _ or -'] },
    { name: 'apiBase', kind: 'text', label: ['Alamat Bot API', 'Bot API origin'] },
  ],
  whatsappCloud: [
    { name: 'accessToken', kind: 'secret', label: ['Token akses (system user)', 'Access token (system user)'] },
    { name: 'phoneNumberId', kind: 'text', label: ['ID nomor telepon', 'Phone number id'], hint: ['dari WhatsApp Manager, bukan nomornya', 'from the WhatsApp Manager, not the number'] },
    { name: 'appSecret', kind: 'secret', label: ['App secret Meta', 'Meta app secret'] },
    { name: 'verifyToken', kind: 'secret', label: ['Verify token webhook', 'Webhook verify token'] },
    { name: 'templates', kind: 'json', label: ['Templat yang disetujui per jenis pesan (JSON)', 'Approved template per message type (JSON)'], hint: ['tanpa templat: teks biasa (hanya dalam 24 jam)', 'without one: plain text (24-hour window only)'] },
    { name: 'language', kind: 'text', label: ['Kode bahasa templat', "Templates' language code"] },
    { name: 'apiBase', kind: 'text', label: ['Alamat Graph API', 'Graph API origin'] },
    { name: 'version', kind: 'text', label: ['Versi Graph API', 'Graph API version'] },
  ],
  whatsappGateway: gateway,
  sms: gateway,
  webhook: [
    { name: 'secret', kind: 'secret', label: ['Kunci tanda tangan (HMAC)', 'Signing key (HMAC)'], hint: ['kosong: tanpa tanda tangan', 'none: unsigned'] },
    { name: 'allowPrivateNetwork', kind: 'checkbox', label: ['Izinkan alamat jaringan lokal', 'Allow local network addresses'] },
  ],
};

export const fx = texts({
  provider: ['Penyedia', 'Provider'],
  cloud: ['WhatsApp Cloud API (Meta)', 'WhatsApp Cloud API (Meta)'],
  localGateway: ['Gateway WhatsApp lokal', 'Local WhatsApp gateway'],
  secretSet: ['•••• tersimpan — kosongkan untuk mempertahankan', '•••• stored — leave empty to keep it'],
  secretUnset: ['belum diisi', 'not set'],
  badJson: ['bukan JSON yang benar', 'is not valid JSON'],
});

export type FormValues = Record<string, string | boolean>;

/** The fields of a channel's form: WhatsApp's depend on its provider. */
export function fieldsOf(kind: string, values: FormValues): Field[] {
  if (kind === 'whatsapp') return values.provider === 'gateway' ? CHANNEL_FIELDS.whatsappGateway! : CHANNEL_FIELDS.whatsappCloud!;
  return CHANNEL_FIELDS[kind] ?? [];
}

/** The API's config as form strings; a secret starts empty (its "••••" only says one is stored). */
export function toForm(kind: string, config: Record<string, unknown>): FormValues {
  const values: FormValues = kind === 'whatsapp' ? { provider: config.provider === 'gateway' ? 'gateway' : 'cloud' } : {};
  for (const f of fieldsOf(kind, { ...values })) {
    const v = config[f.name];
    if (f.kind === 'secret') values[f.name] = '';
    else if (f.kind === 'checkbox') values[f.name] = v === true;
    else if (f.kind === 'json') values[f.name] = v && typeof v === 'object' && Object.keys(v).length > 0 ? JSON.stringify(v) : '';
    else if (f.kind === 'select') values[f.name] = typeof v === 'string' ? v : (f.options?.[0]?.[0] ?? '');
    else values[f.name] = v === null || v === undefined ? '' : String(v);
  }
  return values;
}

/** The form as the API's config; throws with the field's name when a JSON field does not parse. */
export function fromForm(kind: string, values: FormValues, label: (f: Field) => string): Record<string, unknown> {
  const config: Record<string, unknown> = kind === 'whatsapp' ? { provider: values.provider } : {};
  for (const f of fieldsOf(kind, values)) {
    const v = values[f.name];
    const text = typeof v === 'string' ? v.trim() : '';
    if (f.kind === 'checkbox') config[f.name] = v === true;
    else if (f.kind === 'secret') config[f.name] = text === '' ? null : text;
    else if (f.kind === 'optional') config[f.name] = text === '' ? null : text;
    else if (f.kind === 'number') {
      if (text !== '') config[f.name] = Number(text);
    } else if (f.kind === 'json') {
      if (text === '') config[f.name] = {};
      else {
        try {
          config[f.name] = JSON.parse(text);
        } catch {
          throw new Error(`${label(f)} ${fx('badJson')}`);
        }
      }
    } else if (text !== '' || f.kind === 'textarea') config[f.name] = typeof v === 'string' ? (f.kind === 'textarea' ? v : text) : v;
  }
  return config;
}
