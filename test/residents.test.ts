/**
 * Residents told, end to end on both dialects: a reporter who opts in hears
 * about their report (routed, in progress, resolved) with a stop link, and
 * nothing more once stopped or erased; a resident subscribes to early warnings
 * with a code (double opt-in) and can unsubscribe at once and for good; an Awas
 * alarm in Muara Kelingi drafts one public warning that is sent only once the
 * alarm's OPD approves it, to that kecamatan's confirmed subscribers only.
 * Real SMTP (a local server) and the WhatsApp Cloud API fake; the clock is
 * moved by hand and the jobs are driven by the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { FakeWhatsApp, startFakeSmtp, type FakeSmtp } from './fakes/index.ts';
import { dialects, startServerOn, type Storage, type TestServer } from './helpers.ts';

const PUBLIC_URL = 'https://cerdas.musirawas.go.id';
const PASSWORD = 'Operator-Rahasia-2026';
const IN_REGION = { lat: '-3.35', long: '103.10' };
const MUARA_KELINGI = '16.05.03';

function waDigits(phone: string): string {
  return phone.replace(/\D/g, '').replace(/^0/, '62');
}

for (const dialect of await dialects()) {
  describe(`residents told on ${dialect.name}`, () => {
    const clock = new ManualClock(Date.parse('2026-12-03T09:00:00+07:00'));
    let storage: Storage;
    let s: TestServer;
    let smtp: FakeSmtp;
    let wa: FakeWhatsApp;
    let admin = '';
    let key = '';
    const opd: Record<string, string> = {};
    const token: Record<string, string> = {};
    const user: Record<string, string> = {};

    const ok = async (method: string, path: string, as: string, body?: unknown, status = method === 'POST' ? 201 : 200) => {
      const res = await s.api(method, `/api/v1${path}`, { token: as, ...(body !== undefined && { body }) });
      assert.equal(res.status, status, `${method} ${path}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const settle = async () => {
      for (let round = 0; round < 3; round++) {
        await s.app.services.engine.idle();
        await s.app.services.notifications.warnings.drain();
        await s.app.services.notifications.escalation.drain();
        await s.app.services.notifications.sender.drain();
      }
    };
    const file = async (fields: Record<string, string>, lang = 'id') => {
      const body = new URLSearchParams({ api_key: key, service_code: 'waste', description: 'Sampah menumpuk di depan pasar', ...IN_REGION, ...fields });
      const res = await fetch(`${s.url}/open311/v2/requests.json?lang=${lang}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: res.status, body: (await res.json()) as any };
    };
    const incidentOf = async (ticket: string) => {
      const items = (await ok('GET', `/incidents?q=${ticket}`, admin)).items;
      assert.equal(items.length, 1);
      return items[0];
    };
    const textsTo = (phone: string) => wa.messages().filter((m) => m.to === waDigits(phone)).map((m) => (m.text as { body?: string } | undefined)?.body ?? '');
    const mailsTo = (address: string) => smtp.mails.filter((m) => m.envelope.to.includes(address));

    before(async () => {
      storage = await dialect.storage();
      smtp = await startFakeSmtp();
      wa = await FakeWhatsApp.start();
      s = await startServerOn(storage, { publicUrl: PUBLIC_URL, reportRateLimit: 1000 }, { clock, ruleTickMs: null, notificationPollMs: null, notificationSender: { timeoutMs: 1000, backoffMs: 1000, maxAttempts: 2 } }, true);
      admin = await s.login();
      await ok('PUT', '/notifications/channels/email', admin, { enabled: true, config: { host: '127.0.0.1', port: smtp.port, security: 'none', fromAddress: 'peringatan@musirawas.go.id', fromName: 'Cerdas Musi Rawas' } }, 200);
      await ok('PUT', '/notifications/channels/whatsapp', admin, {
        enabled: true,
        config: { provider: 'cloud', accessToken: wa.accessToken, phoneNumberId: wa.phoneNumberId, appSecret: 'app-secret-for-residents', verifyToken: 'verify-token-123', apiBase: wa.url, version: wa.version, language: 'id', templates: {} },
      }, 200);
      for (const [code, name] of [['BPBD', 'Badan Penanggulangan Bencana Daerah'], ['PUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang']] as const) {
        opd[code] = (await ok('POST', '/opds', admin, { code, name })).id;
        const email = `operator.${code.toLowerCase()}@musirawas.go.id`;
        user[code] = (await ok('POST', '/users', admin, { email, name: `Operator ${code}`, password: PASSWORD, role: 'operator', opdId: opd[code] })).id;
        token[code] = await s.login(email, PASSWORD);
      }
      key = (await ok('GET', '/public/config', '')).publicApiKey;
    });
    after(async () => {
      await s.close();
      await storage.drop();
      await Promise.all([smtp.close(), wa.close()]);
    });

    it('tells a reporter who opted in when the report is routed, in progress and resolved, each with a stop link', async () => {
      const filed = await file({ first_name: 'Siti', phone: '0812-7300-2222', notify: 'whatsapp' });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      const ticket = filed.body[0].service_request_id as string;
      const incident = await incidentOf(ticket);
      await settle();
      assert.equal(textsTo('0812-7300-2222').length, 0, 'nothing at filing');
      await ok('POST', `/incidents/${incident.id}/assign`, admin, { opdId: opd.PUPR }, 200);
      await settle();
      await ok('POST', `/incidents/${incident.id}/status`, token.PUPR!, { status: 'in_progress' }, 200);
      await settle();
      await ok('POST', `/incidents/${incident.id}/status`, token.PUPR!, { status: 'resolved' }, 200);
      await settle();
      const texts = textsTo('0812-7300-2222');
      assert.equal(texts.length, 3, texts.join('\n---\n'));
      assert.match(texts[0]!, new RegExp(`Laporan Anda ${ticket}: Diteruskan ke OPD`));
      assert.match(texts[1]!, /Sedang ditangani/);
      assert.match(texts[2]!, /Selesai ditangani/);
      for (const t of texts) {
        assert.match(t, new RegExp(`${PUBLIC_URL.replaceAll('.', '\\.')}/lapor#/tiket/${ticket}`));
        assert.match(t, /Berhenti menerima pesan: https:\/\/cerdas\.musirawas\.go\.id\/stop\/[A-Za-z0-9_-]{20,}/);
      }
    });

    it('stops every further message once the reporter follows the stop link (a page, then its button)', async () => {
      const filed = await file({ email: 'warga.pelapor@contoh.id', notify: 'email' }, 'en');
      const ticket = filed.body[0].service_request_id as string;
      const incident = await incidentOf(ticket);
      await ok('POST', `/incidents/${incident.id}/assign`, admin, { opdId: opd.PUPR }, 200);
      await settle();
      const mails = mailsTo('warga.pelapor@contoh.id');
      assert.equal(mails.length, 1);
      assert.match(mails[0]!.subject, new RegExp(`Report ${ticket}: Sent to the agency`), 'in the language it was filed in');
      const stop = mails[0]!.text!.match(/\/stop\/([A-Za-z0-9_-]+)/)![1]!;
      const page = await fetch(`${s.url}/stop/${stop}`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<form method="post">/);
      assert.equal(mailsTo('warga.pelapor@contoh.id').length, 1, 'opening the page stops nothing');
      const done = await fetch(`${s.url}/stop/${stop}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      assert.equal(done.status, 200);
      assert.match(await done.text(), /tidak akan menerima pesan lagi/);
      await ok('POST', `/incidents/${incident.id}/status`, token.PUPR!, { status: 'in_progress' }, 200);
      await ok('POST', `/incidents/${incident.id}/status`, token.PUPR!, { status: 'resolved' }, 200);
      await settle();
      assert.equal(mailsTo('warga.pelapor@contoh.id').length, 1, 'nothing after the stop');
      const again = await ok('POST', `/public/reports/stop/${stop}`, '', undefined, 200);
      assert.deepEqual(again, { ticket, stopped: false });
      assert.equal((await s.api('POST', '/api/v1/public/reports/stop/not-a-real-token-000000000000', {})).status, 404);
    });

    it("erasing the reporter's data removes their contact and cancels what was queued for them", async () => {
      const filed = await file({ phone: '+62 812-7300-3333', notify: 'whatsapp' });
      const ticket = filed.body[0].service_request_id as string;
      const incident = await incidentOf(ticket);
      wa.failAlways(500);
      try {
        await ok('POST', `/incidents/${incident.id}/assign`, admin, { opdId: opd.PUPR }, 200);
        await settle();
        let log = (await ok('GET', `/notifications?incidentId=${incident.id}`, admin)).items;
        assert.equal(log.length, 1);
        assert.equal(log[0].state, 'queued', 'waiting for a retry');
        await s.api('POST', `/api/v1/incidents/${incident.id}/erase-reporter`, { token: admin });
        log = (await ok('GET', `/notifications?incidentId=${incident.id}`, admin)).items;
        assert.equal(log[0].state, 'cancelled');
        assert.equal(log[0].address, '', 'the outbox forgets the address');
      } finally {
        wa.reset();
      }
      clock.advance(60_000);
      await ok('POST', `/incidents/${incident.id}/status`, token.PUPR!, { status: 'in_progress' }, 200);
      await settle();
      assert.equal(textsTo('0812-7300-3333').length, 0);
      const left = await s.app.services.database.db.selectFrom('reporter_contacts').selectAll().where('incident_id', '=', incident.id).execute();
      assert.equal(left.length, 0);
    });

    it('never shows the opt-in contact on the public ticket, in Open311 or in the filing answer', async () => {
      const filed = await file({ phone: '0812-7300-4444', email: 'rahasia.pelapor@contoh.id', notify: 'sms' });
      assert.equal(filed.status, 201);
      const ticket = filed.body[0].service_request_id as string;
      const answers = [
        JSON.stringify(filed.body),
        JSON.stringify((await s.api('GET', `/api/v1/public/tickets/${ticket}`)).body),
        JSON.stringify((await s.api('GET', `/open311/v2/requests/${ticket}.json`)).body),
        JSON.stringify((await s.api('GET', `/open311/v2/requests.json?service_request_id=${ticket}`)).body),
      ];
      for (const a of answers) {
        assert.ok(!a.includes('7300') && !a.includes('4444') && !a.includes('rahasia.pelapor'), a);
        assert.ok(!/notify|sms/i.test(a.replace(/"service_notice":"[^"]*"/, '')), a);
      }
    });

    it('refuses a number that cannot be a mobile (400) and files nothing', async () => {
      const before = (await ok('GET', '/incidents?limit=1000', admin)).items.length;
      const landline = await file({ phone: '0733-451234', notify: 'whatsapp' });
      assert.equal(landline.status, 400);
      assert.match(landline.body[0].description, /landline/);
      const none = await file({ notify: 'sms' });
      assert.equal(none.status, 400);
      assert.match(none.body[0].description, /phone/);
      const unknown = await file({ phone: '081273005555', notify: 'pigeon' });
      assert.equal(unknown.status, 400);
      assert.equal((await ok('GET', '/incidents?limit=1000', admin)).items.length, before);
    });

    let confirmedMail = '';
    it('subscribes a resident with a code (double opt-in), without duplicates', async () => {
      const districts = await ok('GET', '/public/warnings/districts', '');
      assert.ok(districts.some((d: { code: string; name: string }) => d.code === MUARA_KELINGI && d.name === 'Muara Kelingi'));
      const bad = await s.api('POST', '/api/v1/public/warnings/subscriptions', { body: { districtCode: MUARA_KELINGI, channel: 'sms', address: '0733-451234' } });
      assert.equal(bad.status, 400);
      const sub = await ok('POST', '/public/warnings/subscriptions', '', { districtCode: MUARA_KELINGI, channel: 'email', address: 'Warga.Kelingi@contoh.id', language: 'id' }, 202);
      assert.equal(sub.state, 'pending');
      await settle();
      const mail = mailsTo('warga.kelingi@contoh.id').at(-1)!;
      assert.match(mail.subject, /Konfirmasi langganan peringatan dini Kec\. Muara Kelingi/);
      const code = mail.text!.match(/Kode konfirmasi: (\d{6})/)![1]!;
      assert.match(mail.text!, new RegExp(`/lapor#/peringatan/konfirmasi/${sub.id}/${code}`));
      const wrong = await s.api('POST', `/api/v1/public/warnings/subscriptions/${sub.id}/confirm`, { body: { code: code === '000000' ? '111111' : '000000' } });
      assert.equal(wrong.status, 400);
      const confirmed = await ok('POST', `/public/warnings/subscriptions/${sub.id}/confirm`, '', { code }, 200);
      assert.equal(confirmed.state, 'confirmed');
      const again = await ok('POST', '/public/warnings/subscriptions', '', { districtCode: MUARA_KELINGI, channel: 'email', address: 'warga.kelingi@contoh.id' }, 200);
      assert.equal(again.id, sub.id);
      assert.equal(again.state, 'confirmed');
      await settle();
      assert.equal(mailsTo('warga.kelingi@contoh.id').length, 1, 'no new code for a confirmed subscription');
      const rows = await s.app.services.database.db.selectFrom('warning_subscriptions').selectAll().where('address', '=', 'warga.kelingi@contoh.id').execute();
      assert.equal(rows.length, 1);
      confirmedMail = 'warga.kelingi@contoh.id';
    });

    it('keeps one subscription when the same address signs up twice at the same moment', async () => {
      const body = { districtCode: MUARA_KELINGI, channel: 'email', address: 'kembar@contoh.id', language: 'id' };
      const answers = await Promise.all([1, 2].map(() => s.api('POST', '/api/v1/public/warnings/subscriptions', { body })));
      assert.deepEqual(answers.map((a) => a.status).sort(), [202, 202]);
      assert.equal(answers[0]!.body.id, answers[1]!.body.id);
      const rows = await s.app.services.database.db.selectFrom('warning_subscriptions').selectAll().where('address', '=', 'kembar@contoh.id').execute();
      assert.equal(rows.length, 1);
    });

    it('refuses more than a few pending confirmations per address', async () => {
      const others = (await ok('GET', '/public/warnings/districts', '')).filter((d: { code: string }) => d.code !== MUARA_KELINGI).slice(0, 4);
      assert.equal(others.length, 4);
      for (const d of others.slice(0, 3)) await ok('POST', '/public/warnings/subscriptions', '', { districtCode: d.code, channel: 'email', address: 'penasaran@contoh.id' }, 202);
      const fourth = await s.api('POST', '/api/v1/public/warnings/subscriptions', { body: { districtCode: others[3].code, channel: 'email', address: 'penasaran@contoh.id' } });
      assert.equal(fourth.status, 429);
      assert.equal(fourth.body.error.code, 'TOO_MANY_PENDING');
    });

    it('drafts one public warning for an Awas alarm in Muara Kelingi, sends nothing until approval, and only its OPD may approve', async () => {
      // Subscribers: a confirmed WhatsApp one in Muara Kelingi, a pending one there, a confirmed one elsewhere, one that unsubscribed.
      const subscribe = async (districtCode: string, channel: string, address: string) => ok('POST', '/public/warnings/subscriptions', '', { districtCode, channel, address }, 202);
      const waSub = await subscribe(MUARA_KELINGI, 'whatsapp', '0812-7300-6666');
      await settle();
      const waCode = textsTo('0812-7300-6666').at(-1)!.match(/\b(\d{6})\b/)![1]!;
      await ok('POST', `/public/warnings/subscriptions/${waSub.id}/confirm`, '', { code: waCode }, 200);
      await subscribe(MUARA_KELINGI, 'email', 'belum.konfirmasi@contoh.id');
      const elsewhere = (await ok('GET', '/public/warnings/districts', '')).find((d: { code: string }) => d.code !== MUARA_KELINGI);
      const other = await subscribe(elsewhere.code, 'email', 'kecamatan.lain@contoh.id');
      const gone = await subscribe(MUARA_KELINGI, 'email', 'sudah.berhenti@contoh.id');
      await settle();
      for (const [sub, address] of [[other, 'kecamatan.lain@contoh.id'], [gone, 'sudah.berhenti@contoh.id']] as const) {
        const code = mailsTo(address).at(-1)!.text!.match(/Kode konfirmasi: (\d{6})/)![1]!;
        await ok('POST', `/public/warnings/subscriptions/${sub.id}/confirm`, '', { code }, 200);
      }
      const unsubscribeToken = s.app.services.notifications.subscriptions.unsubscribeToken(gone.id);
      assert.equal((await ok('POST', `/public/warnings/unsubscribe/${unsubscribeToken}`, '', undefined, 200)).state, 'unsubscribed');

      const asset = await ok('POST', '/assets', admin, { type: 'river_gauge', name: 'Pos PDA Kelingi', opdId: opd.BPBD, geometry: { type: 'Point', coordinates: [102.95, -3.05] }, districtCode: MUARA_KELINGI });
      const device = await ok('POST', '/devices', admin, { name: 'PDA Sungai Kelingi', type: 'river_gauge', assetId: asset.id });
      await ok('POST', '/rules', admin, {
        name: 'Banjir Sungai Kelingi',
        opdId: opd.BPBD,
        target: { kind: 'device', value: device.id },
        key: 'waterLevel',
        levels: [
          { severity: 'waspada', condition: { op: 'gte', value: 3.5 }, clearCondition: { op: 'lt', value: 3.3 } },
          { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.8 } },
          { severity: 'awas', condition: { op: 'gte', value: 4.5 }, clearCondition: { op: 'lt', value: 4.3 } },
        ],
      });
      const reading = async (waterLevel: number) => {
        const res = await fetch(`${s.url}/api/v1/${device.accessToken}/telemetry`, { method: 'POST', body: JSON.stringify({ ts: clock.now(), values: { waterLevel } }) });
        assert.equal(res.status, 200);
        await settle();
        clock.advance(60_000);
      };
      const mailsBefore = smtp.mails.length;
      const waBefore = wa.messages().length;
      await reading(3.7);
      assert.equal((await ok('GET', '/warnings', admin)).items.length, 0, 'no draft below Awas');
      await reading(4.6);
      await reading(4.7);
      const drafts = (await ok('GET', '/warnings', token.BPBD!)).items;
      assert.equal(drafts.length, 1, 'exactly one draft for the alarm');
      const draft = drafts[0];
      assert.equal(draft.state, 'draft');
      assert.equal(draft.districtCode, MUARA_KELINGI);
      assert.equal(draft.districtName, 'Muara Kelingi');
      assert.match(draft.titleId, /Tinggi muka air Awas di Kec\. Muara Kelingi/);
      assert.match(draft.textId, /bantaran sungai diminta waspada dan bersiap mengungsi/);
      assert.match(draft.titleEn, /Water level Awas/);
      assert.match(draft.textEn, /ready to evacuate/);
      const alarm = (await ok('GET', '/alarms?status=active', admin)).items[0];
      assert.equal(draft.alarmId, alarm.id);
      assert.equal((await ok('GET', `/warnings?alarmId=${alarm.id}`, admin)).items.length, 1);
      assert.equal(smtp.mails.length, mailsBefore, 'nothing reaches residents before a person approves');
      assert.equal(wa.messages().length, waBefore);

      // Another OPD neither sees nor approves it.
      assert.equal((await ok('GET', '/warnings', token.PUPR!)).items.length, 0);
      assert.equal((await s.api('POST', `/api/v1/warnings/${draft.id}/approve`, { token: token.PUPR! })).status, 403);
      assert.equal((await s.api('PATCH', `/api/v1/warnings/${draft.id}`, { token: token.PUPR!, body: { textId: 'x' } })).status, 403);

      const edited = await ok('PATCH', `/warnings/${draft.id}`, token.BPBD!, { textId: `${draft.textId} Posko pengungsian: SD Negeri 1 Muara Kelingi.` }, 200);
      assert.match(edited.textId, /Posko pengungsian/);
      const approved = await ok('POST', `/warnings/${draft.id}/approve`, token.BPBD!, undefined, 200);
      assert.equal(approved.approvedBy, user.BPBD);
      assert.equal(approved.approvedByName, 'Operator BPBD');
      assert.ok(approved.approvedAt > 0);
      await settle();
      const sent = await ok('GET', `/warnings/${draft.id}`, admin);
      assert.equal(sent.state, 'sent');
      assert.equal(sent.queued, 2, 'the two confirmed subscribers of Muara Kelingi');
      assert.equal(sent.deliveries.sent, 2);
      const warningMails = smtp.mails.slice(mailsBefore).filter((m) => /PERINGATAN DINI/.test(m.subject));
      assert.deepEqual(warningMails.map((m) => m.envelope.to[0]), [confirmedMail]);
      assert.match(warningMails[0]!.text!, /Posko pengungsian/);
      assert.match(warningMails[0]!.text!, /Berhenti berlangganan: https:\/\/cerdas\.musirawas\.go\.id\/lapor#\/peringatan\/berhenti\/[A-Za-z0-9_-]+/);
      const waTexts = textsTo('0812-7300-6666').filter((t) => /PERINGATAN DINI/.test(t));
      assert.equal(waTexts.length, 1, 'once each');
      assert.equal(mailsTo('belum.konfirmasi@contoh.id').filter((m) => /PERINGATAN/.test(m.subject)).length, 0, 'not to an unconfirmed one');
      assert.equal(mailsTo('kecamatan.lain@contoh.id').filter((m) => /PERINGATAN/.test(m.subject)).length, 0, "not to another kecamatan's");
      assert.equal(mailsTo('sudah.berhenti@contoh.id').filter((m) => /PERINGATAN/.test(m.subject)).length, 0, 'not to one who unsubscribed');
      assert.equal((await s.api('POST', `/api/v1/warnings/${draft.id}/approve`, { token: token.BPBD! })).status, 409, 'approved once');

      // The unsubscribe link in the mail ends it at once: a warning queued for it is cancelled, later ones never come.
      const link = warningMails[0]!.text!.match(/peringatan\/berhenti\/([A-Za-z0-9_-]+)/)![1]!;
      assert.equal((await ok('GET', `/public/warnings/unsubscribe/${link}`, '', undefined, 200)).state, 'confirmed');
      await reading(3.0);
      await reading(4.8);
      const second = (await ok('GET', '/warnings?state=draft', token.BPBD!)).items;
      assert.equal(second.length, 1, 'a new alarm, a new draft');
      wa.failAlways(500);
      smtp.rejectNext(451);
      try {
        await ok('POST', `/warnings/${second[0].id}/approve`, admin, undefined, 200);
        await settle();
        assert.equal((await ok('POST', `/public/warnings/unsubscribe/${link}`, '', undefined, 200)).state, 'unsubscribed');
        const waToken = s.app.services.notifications.subscriptions.unsubscribeToken(waSub.id);
        await ok('POST', `/public/warnings/unsubscribe/${waToken}`, '', undefined, 200);
      } finally {
        wa.reset();
      }
      clock.advance(60_000);
      await settle();
      const after = await ok('GET', `/warnings/${second[0].id}`, admin);
      assert.equal(after.queued, 2);
      assert.equal(after.deliveries.cancelled, 2, JSON.stringify(after.deliveries));
      assert.equal(mailsTo(confirmedMail).filter((m) => /PERINGATAN/.test(m.subject)).length, 1);
      // (the fake forgot what it got before reset(): nothing new came)
      assert.equal(textsTo('0812-7300-6666').filter((t) => /PERINGATAN DINI/.test(t)).length, 0);
    });
  });
}
