/**
 * The words of every message, per event and language, with named placeholders
 * (`{{where}}`). The defaults live here; an admin may replace any of them per
 * channel (notification_templates), and a template is checked when saved: a
 * placeholder the event does not have is refused then, not found out at 02.00.
 */
import { AppError } from '../../core/errors.ts';
import type { ChannelKind } from './channels/channel.ts';
import { EVENT_PLACEHOLDERS, type Language, type NotificationEvent } from './notifications.contract.ts';

export { EVENT_PLACEHOLDERS, LANGUAGES, NOTIFICATION_EVENTS, type Language, type NotificationEvent } from './notifications.contract.ts';
export type Placeholders = Partial<Record<string, string>>;

export interface Template {
  subject: string;
  body: string;
}

type Defaults = Record<NotificationEvent, Record<Language, { subject: string; short: string; email: string }>>;

/** Short texts go to Telegram, WhatsApp and SMS; email has room for a few more words. */
const DEFAULTS: Defaults = {
  'alarm.raised': {
    id: {
      subject: '[{{level}}] {{what}} — {{where}}',
      short: '⚠️ {{what}} {{level}}\n{{where}}\n{{value}}, {{trend}} — {{time}}\nAlarm: {{link}}\nTangani: {{ackLink}}',
      email: '{{what}} {{level}}\n\nLokasi: {{where}}\nNilai: {{value}}, {{trend}}\nKondisi: {{condition}}\nWaktu: {{time}}\nOPD: {{opd}}\n\nLihat alarm: {{link}}\nTangani (acknowledge): {{ackLink}}\n\nPesan ini dikirim karena Anda bertugas (piket) atau termasuk dalam kebijakan eskalasi.',
    },
    en: {
      subject: '[{{level}}] {{what}} — {{where}}',
      short: '⚠️ {{what}}: {{level}}\n{{where}}\n{{value}}, {{trend}} — {{time}}\nAlarm: {{link}}\nAcknowledge: {{ackLink}}',
      email: '{{what}}: {{level}}\n\nWhere: {{where}}\nValue: {{value}}, {{trend}}\nCondition: {{condition}}\nTime: {{time}}\nAgency: {{opd}}\n\nSee the alarm: {{link}}\nAcknowledge: {{ackLink}}\n\nYou get this message because you are on duty or in the escalation policy.',
    },
  },
  'alarm.escalated': {
    id: {
      subject: '[ESKALASI {{level}}] {{what}} — {{where}}, belum ditangani {{minutes}} menit',
      short: '🔺 Eskalasi: {{what}} {{level}} belum ditangani {{minutes}} menit\n{{where}}\n{{value}}, {{trend}} — {{time}}\nAlarm: {{link}}\nTangani: {{ackLink}}',
      email: 'Alarm ini belum ditangani siapa pun selama {{minutes}} menit.\n\n{{what}} {{level}}\nLokasi: {{where}}\nNilai: {{value}}, {{trend}}\nKondisi: {{condition}}\nWaktu: {{time}}\nOPD: {{opd}}\n\nLihat alarm: {{link}}\nTangani (acknowledge): {{ackLink}}',
    },
    en: {
      subject: '[ESCALATION {{level}}] {{what}} — {{where}}, unacknowledged for {{minutes}} min',
      short: '🔺 Escalation: {{what}} {{level}} unacknowledged for {{minutes}} min\n{{where}}\n{{value}}, {{trend}} — {{time}}\nAlarm: {{link}}\nAcknowledge: {{ackLink}}',
      email: 'Nobody has acknowledged this alarm for {{minutes}} minutes.\n\n{{what}}: {{level}}\nWhere: {{where}}\nValue: {{value}}, {{trend}}\nCondition: {{condition}}\nTime: {{time}}\nAgency: {{opd}}\n\nSee the alarm: {{link}}\nAcknowledge: {{ackLink}}',
    },
  },
  'alarm.summary': {
    id: {
      subject: 'Ringkasan: {{what}} berubah {{count}} kali dalam satu jam',
      short: '{{what}} — {{where}}: {{count}} perubahan lagi dalam satu jam terakhir. Sekarang {{level}}, {{value}} ({{time}}).\nAlarm: {{link}}',
      email: '{{what}} — {{where}} berubah {{count}} kali lagi dalam satu jam terakhir; pesan-pesannya diringkas agar tidak berulang.\n\nSekarang: {{level}}, {{value}} ({{time}})\n\nLihat alarm: {{link}}',
    },
    en: {
      subject: 'Summary: {{what}} changed {{count}} times in an hour',
      short: '{{what}} — {{where}}: {{count}} more changes in the last hour. Now {{level}}, {{value}} ({{time}}).\nAlarm: {{link}}',
      email: '{{what}} — {{where}} changed {{count}} more times in the last hour; the messages were summed up rather than repeated.\n\nNow: {{level}}, {{value}} ({{time}})\n\nSee the alarm: {{link}}',
    },
  },
  'incident.sla_breached': {
    id: {
      subject: '[Lewat tenggat] {{ticket}} {{title}}',
      short: '⏰ Laporan {{ticket}} lewat tenggat ({{due}}), {{minutes}} menit tanpa tindak lanjut\n{{category}} — {{where}}\nOPD: {{opd}}\nLihat: {{link}}\nTangani: {{ackLink}}',
      email: 'Laporan {{ticket}} ({{category}}) melewati tenggat layanan {{due}} dan belum ditindaklanjuti selama {{minutes}} menit.\n\n{{title}}\nLokasi: {{where}}\nOPD: {{opd}}\n\nLihat laporan: {{link}}\nTangani: {{ackLink}}',
    },
    en: {
      subject: '[Past due] {{ticket}} {{title}}',
      short: '⏰ Report {{ticket}} is past due ({{due}}), {{minutes}} min without action\n{{category}} — {{where}}\nAgency: {{opd}}\nSee: {{link}}\nAcknowledge: {{ackLink}}',
      email: 'Report {{ticket}} ({{category}}) passed its due time {{due}} and has had no action for {{minutes}} minutes.\n\n{{title}}\nWhere: {{where}}\nAgency: {{opd}}\n\nSee the report: {{link}}\nAcknowledge: {{ackLink}}',
    },
  },
  'incident.reporter_update': {
    id: {
      subject: 'Laporan {{ticket}}: {{status}}',
      short: 'Laporan Anda {{ticket}}: {{status}}. {{text}}\nLihat: {{link}}\nBerhenti menerima pesan: {{stopLink}}',
      email: 'Laporan Anda {{ticket}} kini berstatus: {{status}}.\n\n{{text}}\n\nLihat laporan: {{link}}\n\nBerhenti menerima pesan tentang laporan ini: {{stopLink}}',
    },
    en: {
      subject: 'Report {{ticket}}: {{status}}',
      short: 'Your report {{ticket}}: {{status}}. {{text}}\nSee: {{link}}\nStop these messages: {{stopLink}}',
      email: 'Your report {{ticket}} is now: {{status}}.\n\n{{text}}\n\nSee the report: {{link}}\n\nStop messages about this report: {{stopLink}}',
    },
  },
  'warning.public': {
    id: {
      subject: 'PERINGATAN DINI: {{title}} — {{where}}',
      short: '📢 PERINGATAN DINI {{where}}\n{{title}}\n{{text}}\n({{time}})\nBerhenti berlangganan: {{stopLink}}',
      email: 'PERINGATAN DINI untuk {{where}}\n\n{{title}}\n\n{{text}}\n\nDiterbitkan {{time}}.\n\nBerhenti berlangganan: {{stopLink}}',
    },
    en: {
      subject: 'EARLY WARNING: {{title}} — {{where}}',
      short: '📢 EARLY WARNING {{where}}\n{{title}}\n{{text}}\n({{time}})\nUnsubscribe: {{stopLink}}',
      email: 'EARLY WARNING for {{where}}\n\n{{title}}\n\n{{text}}\n\nIssued {{time}}.\n\nUnsubscribe: {{stopLink}}',
    },
  },
  'contact.verify': {
    id: { subject: 'Kode verifikasi Cerdas: {{code}}', short: 'Kode verifikasi Cerdas Anda: {{code}} (berlaku {{minutes}} menit). Abaikan jika Anda tidak memintanya.', email: 'Kode verifikasi Anda: {{code}}\n\nBerlaku {{minutes}} menit. Abaikan pesan ini jika Anda tidak memintanya.' },
    en: { subject: 'Cerdas verification code: {{code}}', short: 'Your Cerdas verification code: {{code}} (valid {{minutes}} min). Ignore it if you did not ask for it.', email: 'Your verification code: {{code}}\n\nValid for {{minutes}} minutes. Ignore this message if you did not ask for it.' },
  },
  'subscription.confirm': {
    id: { subject: 'Konfirmasi langganan peringatan dini {{where}}', short: 'Kode konfirmasi langganan peringatan dini {{where}}: {{code}}. Atau buka {{link}}', email: 'Anda (atau seseorang) mendaftarkan alamat ini untuk peringatan dini {{where}}.\n\nKode konfirmasi: {{code}}\nAtau buka: {{link}}\n\nAbaikan pesan ini jika bukan Anda.' },
    en: { subject: 'Confirm your early-warning subscription for {{where}}', short: 'Confirmation code for early warnings in {{where}}: {{code}}. Or open {{link}}', email: 'You (or someone) signed this address up for early warnings in {{where}}.\n\nConfirmation code: {{code}}\nOr open: {{link}}\n\nIgnore this message if it was not you.' },
  },
  'channel.test': {
    id: { subject: 'Uji kanal {{channel}} Cerdas', short: 'Uji kanal {{channel}} Cerdas berhasil — {{time}}.', email: 'Ini pesan uji kanal {{channel}} dari Cerdas, dikirim {{time}}. Jika Anda membacanya, kanal ini bekerja.' },
    en: { subject: 'Cerdas {{channel}} channel test', short: 'Cerdas {{channel}} channel test worked — {{time}}.', email: 'This is a test of the {{channel}} channel of Cerdas, sent {{time}}. If you read it, the channel works.' },
  },
};

/** The built-in template of an event for a channel in a language. */
export function defaultTemplate(event: NotificationEvent, channel: ChannelKind, language: Language): Template {
  const d = DEFAULTS[event][language];
  return { subject: d.subject, body: channel === 'email' ? d.email : d.short };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** Refuses a template with a placeholder its event does not have, or with braces left unmatched. */
export function checkTemplate(event: NotificationEvent, template: Template): void {
  const allowed: readonly string[] = EVENT_PLACEHOLDERS[event];
  for (const [field, text] of [['subject', template.subject], ['body', template.body]] as const) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      if (!allowed.includes(match[1]!)) {
        const list = allowed.map((p) => `{{${p}}}`).join(', ');
        throw new AppError('VALIDATION_FAILED', `${field}: {{${match[1]}}} is not a placeholder of ${event}; it has ${list}`, {
          field,
          reason: { id: `{{${match[1]}}} bukan isian pesan ini; isian yang ada: ${list}`, en: `{{${match[1]}}} is not a placeholder of this message; it has ${list}` },
        });
      }
    }
    const rest = text.replace(PLACEHOLDER, '');
    if (rest.includes('{{') || rest.includes('}}')) {
      throw new AppError('VALIDATION_FAILED', `${field}: a placeholder is not closed; write it as {{name}}`, { field, reason: { id: 'Ada isian yang belum ditutup; tulis seperti {{nama}}', en: 'A placeholder is not closed; write it as {{name}}' } });
    }
  }
}

/** Fills the placeholders; one without a value becomes a dash rather than a raw {{name}}. */
export function render(text: string, values: Placeholders): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => values[name] ?? '–');
}
