/**
 * Local fakes of the providers the notification channels call, for unit and
 * integration tests. Each listens on 127.0.0.1, port 0, records what it gets,
 * answers as the real one does, can be told to fail (500, 429, 400, 'hang'),
 * and closes cleanly with `await fake.close()` (hanging requests included).
 * See each file's header for its API.
 */
export { FakeHttpServer, type FakeAnswer, type FakeFailure, type RecordedRequest } from './fake-http.ts';
export { FakeSmsGateway } from './sms-gateway.ts';
export { parseMail, startFakeSmtp, type FakeSmtp, type ReceivedMail } from './smtp.ts';
export { FAKE_TELEGRAM_TOKEN, FakeTelegram } from './telegram.ts';
export { FakeWhatsApp } from './whatsapp.ts';

/** The alert of the issue, as the outbox hands it to a channel. */
export const SIAGA_TEXT = 'Tinggi muka air Siaga — PDA Sungai Kelingi, Kec. Muara Kelingi, 4,3 m naik 0,4 m/jam, 02.05 WIB';
