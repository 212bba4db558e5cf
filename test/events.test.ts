/**
 * Issue 15, "one event, one place" and citizens' wording: an alarm's incident
 * in words, linked, following its level, assigned at once, with an SLA for
 * every stage and private until published; titles; moderation of residents'
 * reports (per-category auto-publish) on Open311 and the ticket page; the short
 * reporter code (any case, with or without the dash, rate-limited, old codes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { hashToken } from '../src/core/ids.ts';
import { addWorkingDays } from '../src/modules/incidents/index.ts';
import { dialects, startServer, type TestServer } from './helpers.ts';

const wib = (y: number, m: number, d: number, h = 10) => Date.UTC(y, m - 1, d, h - 7);
const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

for (const dialect of await dialects()) {
  describe(`one event, one place, moderation and the reporter code on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let opBpbd: string;
    let opPupr: string;
    let key: string;
    const ids: Record<string, string> = {};
    const clock = new ManualClock(wib(2027, 2, 10));
    const api = (method: string, path: string, token: string, body?: unknown) => s.api(method, path, { token, ...(body !== undefined && { body }) });
    const get = async (path: string) => {
      const res = await fetch(s.url + path);
      const text = await res.text();
      return { status: res.status, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    };
    const file = async (fields: Record<string, string>) => {
      const res = await fetch(`${s.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_key: key, lat: '-3.35', long: '103.10', ...fields }).toString(),
      });
      const body = (await res.json()) as { service_request_id: string; erase_secret: string }[];
      assert.equal(res.status, 201, JSON.stringify(body));
      return { ticket: body[0]!.service_request_id, code: body[0]!.erase_secret };
    };
    const incidentOf = async (ticket: string) => (await api('GET', `/api/v1/incidents?limit=5&q=${ticket}`, admin)).body.items.find((i: any) => i.ticket === ticket);
    const inFeed = async (ticket: string) => ((await get(`/open311/v2/requests.json?service_request_id=${ticket}`)).body as any[]).find((r) => r.service_request_id === ticket);

    before(async () => {
      s = await startServer(dialect, { sessionTtlHours: 24 * 90, reportRateLimit: 10_000, reportKeyRateLimit: 10_000 }, { clock, ruleTickMs: null });
      admin = await s.login();
      for (const code of ['PUPR', 'BPBD', 'DLH']) ids[code] = (await api('POST', '/api/v1/opds', admin, { code, name: `Dinas ${code}` })).body.id;
      const user = async (email: string, opdId: string) => {
        assert.equal((await api('POST', '/api/v1/users', admin, { email, name: email, password: 'password-123456', role: 'operator', opdId })).status, 201);
        return s.login(email, 'password-123456');
      };
      opBpbd = await user('bpbd@musirawas.go.id', ids.BPBD!);
      opPupr = await user('pupr@musirawas.go.id', ids.PUPR!);
      key = (await api('POST', '/api/v1/open311/keys', admin, { name: 'uji' })).body.key;
      const profile = { type: 'river_gauge', name: { id: 'Pos duga air', en: 'River gauge' }, keys: [{ key: 'waterLevel', label: { id: 'Tinggi muka air', en: 'Water level' }, unit: 'm', decimals: 2, min: 0, max: 8 }], commands: [] };
      assert.equal((await api('POST', '/api/v1/device-profiles', admin, profile)).status, 201);
    });
    after(() => s.close());

    it("an alarm's incident: titled in words, linked, assigned at once, follows the level, an SLA at every stage, private until published", async () => {
      const asset = await api('POST', '/api/v1/assets', admin, { type: 'river_gauge', name: 'Pos Pantau Kelingi', opdId: ids.BPBD, geometry: { type: 'Point', coordinates: [102.87, -3.05] } });
      const device = await api('POST', '/api/v1/devices', admin, { name: 'PDA Kelingi', type: 'river_gauge', assetId: asset.body.id });
      assert.equal(device.status, 201, JSON.stringify(device.body));
      const rule = await api('POST', '/api/v1/rules', admin, {
        name: 'Banjir Kelingi',
        target: { kind: 'device', value: device.body.id },
        key: 'waterLevel',
        levels: [
          { severity: 'siaga', condition: { op: 'gte', value: 4 }, clearCondition: { op: 'lt', value: 3.5 } },
          { severity: 'awas', condition: { op: 'gte', value: 4.5 } },
        ],
        actions: [{ type: 'incident', opdId: ids.BPBD, categoryCode: 'flooding' }],
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      const send = async (v: number) => {
        clock.advance(60_000);
        assert.equal((await s.api('POST', `/api/v1/${device.body.accessToken}/telemetry`, { body: { ts: clock.now(), values: { waterLevel: v } } })).status, 200);
        await s.app.services.engine.idle();
      };
      const poll = async (until: (i: any) => boolean): Promise<any> => {
        for (let n = 0; n < 100; n++) {
          const items = (await api('GET', '/api/v1/incidents?source=alarm', opBpbd)).body.items as any[];
          const found = items[0] && (await api('GET', `/api/v1/incidents/${items[0].id}`, opBpbd)).body;
          if (found && until(found)) return found;
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.fail('the incident did not get there');
      };
      await send(4.28);
      const opened = await poll(() => true);
      assert.equal(opened.title, 'Tinggi muka air 4,28 m di Pos Pantau Kelingi — Siaga');
      assert.equal(opened.titleEn, 'Water level 4.28 m at Pos Pantau Kelingi — Alert', 'worded in English too, for English screens');
      assert.doesNotMatch(opened.description, /waterLevel/);
      assert.equal(opened.status, 'assigned', 'routed to BPBD by its rule: assigned at once');
      assert.equal(opened.opdId, ids.BPBD);
      assert.equal(opened.severity, 'high');
      assert.equal(opened.assetId, asset.body.id);
      assert.equal(opened.deviceId, device.body.id);
      const alarm = (await api('GET', `/api/v1/alarms/${opened.alarmId}`, admin)).body;
      assert.equal(alarm.deviceId, device.body.id);
      assert.equal(opened.sla.stage, 'follow_up');
      assert.equal(opened.sla.dueAt, addWorkingDays(clock.now(), 1), 'high: followed up within one working day');
      assert.deepEqual(opened.timeline.map((e: any) => e.kind), ['created', 'assigned', 'status']);
      assert.deepEqual((await api('GET', `/api/v1/incidents?alarmId=${opened.alarmId}`, admin)).body.items.map((i: any) => i.id), [opened.id], 'found from its alarm');
      // private: neither on the Open311 feed (list, by id) nor on the ticket page
      assert.equal(opened.publication, 'private');
      assert.equal(await inFeed(opened.ticket), undefined);
      assert.equal((await get('/open311/v2/requests.json')).body.some((r: any) => r.service_request_id === opened.ticket), false);
      assert.equal((await get(`/open311/v2/requests/${opened.ticket}.json`)).status, 404);
      assert.equal((await get(`/api/v1/public/tickets/${opened.ticket}`)).status, 404);

      // the level rises: the incident follows, in its severity, its title and its timeline
      await send(4.6);
      const risen = await poll((i) => i.severity === 'critical');
      assert.equal(risen.title, 'Tinggi muka air 4,28 m di Pos Pantau Kelingi — Awas');
      assert.equal(risen.titleEn, 'Water level 4.28 m at Pos Pantau Kelingi — Warning');
      const line = risen.timeline.find((e: any) => e.kind === 'severity');
      assert.deepEqual([line.from, line.to, line.text], ['high', 'critical', 'Siaga → Awas']);
      assert.equal(risen.sla.dueAt, opened.sla.dueAt, 'critical follows up within a working day too');

      // work started: the clock keeps running (resolve, by severity), no "—"
      const started = await api('POST', `/api/v1/incidents/${opened.id}/status`, opBpbd, { status: 'in_progress' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(started.body.sla.stage, 'resolve');
      assert.equal(started.body.sla.dueAt, addWorkingDays(clock.now(), 1), 'critical: resolved within one working day');

      // publishing takes a text written for residents
      const bare = await api('POST', `/api/v1/incidents/${opened.id}/publication`, opBpbd, { publication: 'published' });
      assert.equal(bare.status, 400);
      assert.match(bare.body.error.message, /publicText/);
      assert.equal((await api('POST', `/api/v1/incidents/${opened.id}/publication`, opPupr, { publication: 'published', publicText: 'x' })).status, 403, "another OPD's");
      const text = 'Sungai Kelingi meluap di sekitar Pos Pantau Kelingi. Warga bantaran diminta waspada.';
      const published = await api('POST', `/api/v1/incidents/${opened.id}/publication`, opBpbd, { publication: 'published', publicTitle: 'Banjir Sungai Kelingi', publicText: text });
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.publication, 'published');
      const feed = await inFeed(opened.ticket);
      assert.equal(feed.description, text);
      const page = await get(`/api/v1/public/tickets/${opened.ticket}`);
      assert.equal(page.body.title, 'Banjir Sungai Kelingi');
      assert.equal(page.body.expectedStage, 'resolve');
      assert.doesNotMatch(page.text, /waterLevel|4,28|Tinggi muka air/);
      const detail = (await api('GET', `/api/v1/incidents/${opened.id}`, admin)).body;
      assert.equal(detail.timeline.at(-1).kind, 'published');

      // cleared: a note in words; the incident stays for people to close
      await send(3.0);
      const cleared = await poll((i) => i.timeline.some((e: any) => e.kind === 'note'));
      assert.match(cleared.timeline.find((e: any) => e.kind === 'note').text, /^Alarm selesai/);
      assert.equal(cleared.status, 'in_progress');
      // an operator's rename is their words, in one language: English screens show it as written
      const renamed = await api('PATCH', `/api/v1/incidents/${opened.id}`, opBpbd, { title: 'Banjir Kelingi di Tugumulyo' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.deepEqual([renamed.body.title, renamed.body.titleEn], ['Banjir Kelingi di Tugumulyo', null]);
    });

    it('titles: the first words of the text by default, editable by staff, in the list', async () => {
      const long = 'Lampu jalan di simpang empat Terawas padam sejak tiga hari yang lalu sehingga jalan gelap gulita dan rawan kecelakaan malam hari';
      const { ticket } = await file({ service_code: 'street_lights', description: long });
      const incident = await incidentOf(ticket);
      assert.ok(incident.title.endsWith('…'));
      assert.ok(long.startsWith(incident.title.slice(0, -1)));
      assert.ok(incident.title.length <= 81);
      const renamed = await api('PATCH', `/api/v1/incidents/${incident.id}`, admin, { title: '  Lampu padam di simpang Terawas ' });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal(renamed.body.title, 'Lampu padam di simpang Terawas');
      assert.equal((await api('PATCH', `/api/v1/incidents/${incident.id}`, admin, { title: '   ' })).status, 400);
      assert.equal((await api('PATCH', `/api/v1/incidents/${incident.id}`, admin, {})).status, 400);
      const detail = (await api('GET', `/api/v1/incidents/${incident.id}`, admin)).body;
      assert.deepEqual([detail.timeline.at(-1).kind, detail.timeline.at(-1).to], ['title', 'Lampu padam di simpang Terawas']);
    });

    it("moderation: a resident's report is public only once approved (edited text, photo or not), or refused; Open311 GET and the ticket page follow", async () => {
      const { ticket } = await file({ service_code: 'waste', description: 'Sampah menumpuk, hubungi Pak Budi 0812-1111-2222' });
      const incident = await incidentOf(ticket);
      assert.equal(incident.publication, 'pending');
      assert.equal(await inFeed(ticket), undefined, 'not on the feed by id');
      assert.equal((await get('/open311/v2/requests.json')).body.some((r: any) => r.service_request_id === ticket), false);
      assert.equal((await get(`/open311/v2/requests/${ticket}.json`)).status, 404);
      assert.equal((await get(`/open311/v2/requests/${ticket}.xml`)).status, 404);
      // the moderation queue
      const queue = (await api('GET', '/api/v1/incidents?publication=pending&limit=100', admin)).body.items as any[];
      assert.ok(queue.some((i) => i.ticket === ticket));
      // its reporter still follows it by ticket, without the text, place or photo
      const waiting = await get(`/api/v1/public/tickets/${ticket}`);
      assert.equal(waiting.status, 200);
      assert.equal(waiting.body.published, false);
      assert.equal(waiting.body.description, '');
      assert.equal(waiting.body.lat, null);
      assert.doesNotMatch(waiting.text, /0812|Budi/);
      // an answer of the reporter waits with the report: the page says one came, not what it says
      const { code } = await file({ service_code: 'waste', description: 'Sampah di depan pasar' });
      const second = (await api('GET', '/api/v1/incidents?publication=pending&limit=100', admin)).body.items.find((i: any) => i.description === 'Sampah di depan pasar');
      const replied = await s.api('POST', `/api/v1/public/tickets/${second.ticket}/reply`, { body: { secret: code, text: 'Sekarang sudah bau, hubungi Bu Sari 0813-3333' } });
      assert.equal(replied.status, 200, JSON.stringify(replied.body));
      const held = await get(`/api/v1/public/tickets/${second.ticket}`);
      assert.deepEqual(held.body.updates.filter((u: any) => u.kind === 'reporter_reply').map((u: any) => u.text), [null]);
      assert.doesNotMatch(held.text, /0813|Sari/);
      assert.equal((await api('GET', `/api/v1/incidents/${second.id}`, admin)).body.timeline.some((e: any) => /Bu Sari/.test(e.text ?? '')), true, 'staff read it');
      // approved with the phone number taken out
      const approved = await api('POST', `/api/v1/incidents/${incident.id}/publication`, admin, { publication: 'published', publicText: 'Sampah menumpuk', publicPhoto: false });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal((await inFeed(ticket)).description, 'Sampah menumpuk');
      const xml = await get(`/open311/v2/requests/${ticket}.xml`);
      assert.equal(xml.status, 200);
      assert.doesNotMatch(xml.text, /0812/);
      const page = await get(`/api/v1/public/tickets/${ticket}`);
      assert.deepEqual([page.body.published, page.body.description, page.body.mediaUrl], [true, 'Sampah menumpuk', null]);
      // the operator still reads what was sent
      assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, admin)).body.description, 'Sampah menumpuk, hubungi Pak Budi 0812-1111-2222');
      // refused for publication afterwards: gone from the feed again
      assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/publication`, admin, { publication: 'private' })).status, 200);
      assert.equal(await inFeed(ticket), undefined);
      assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/publication`, admin, { publication: 'hidden' })).status, 400);
    });

    it('a category set to auto-publish puts its reports on the feed at once; the default stays moderated', async () => {
      const before = (await api('GET', '/api/v1/incident-categories', admin)).body.find((c: any) => c.code === 'roads');
      assert.equal(before.autoPublish, false, 'moderated by default');
      const set = await api('PATCH', '/api/v1/incident-categories/roads', admin, { autoPublish: true });
      assert.equal(set.status, 200);
      assert.equal(set.body.autoPublish, true);
      assert.equal((await api('PATCH', '/api/v1/incident-categories/roads', opPupr, { autoPublish: false })).status, 403);
      const { ticket } = await file({ service_code: 'roads', description: 'Jalan berlubang di depan pasar', 'attribute[passable]': 'yes' });
      assert.equal((await incidentOf(ticket)).publication, 'published');
      assert.equal((await inFeed(ticket)).description, 'Jalan berlubang di depan pasar');
      const other = await file({ service_code: 'waste', description: 'Sampah lagi' });
      assert.equal(await inFeed(other.ticket), undefined);
    });

    it('the reporter code: 8 characters grouped, any case, with or without the dash; wrong codes rate-limited per ticket; old long codes still work', async () => {
      const { ticket, code } = await file({ service_code: 'waste', description: 'Sampah di lorong' });
      assert.match(code, CODE);
      const reply = (secret: string, t = ticket) => s.api('POST', `/api/v1/public/tickets/${t}/reply`, { body: { secret, text: 'Masih ada' } });
      assert.equal((await reply(code)).status, 200);
      assert.equal((await reply(code.toLowerCase())).status, 200, 'lower case');
      assert.equal((await reply(code.replace('-', ''))).status, 200, 'without the dash');
      assert.equal((await reply(` ${code.slice(0, 4)} ${code.slice(5).toLowerCase()} `)).status, 200, 'with spaces');
      // Crockford: O is read as 0, I and L as 1
      const flat = code.replace('-', '');
      if (/[01]/.test(flat)) assert.equal((await reply(flat.replace(/0/g, 'o').replace(/1/g, 'l'))).status, 200);
      assert.equal((await reply('ZZZZ-ZZZZ' === code ? 'YYYY-YYYY' : 'ZZZZ-ZZZZ')).status, 403);
      // guessing: 10 wrong codes an hour per ticket, then 429, even for the right code, until the hour is over
      const other = await file({ service_code: 'waste', description: 'Sampah di gang' });
      const wrong = other.code === 'AAAA-AAAA' ? 'BBBB-BBBB' : 'AAAA-AAAA';
      for (let i = 0; i < 9; i++) assert.equal((await reply(wrong, other.ticket)).status, 403);
      const tenth = await reply(wrong, other.ticket);
      assert.equal(tenth.status, 403);
      const blocked = await reply(other.code, other.ticket);
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.error.code, 'RATE_LIMITED');
      assert.equal((await s.api('POST', `/api/v1/public/tickets/${other.ticket}/erase`, { body: { secret: other.code } })).status, 429);
      assert.equal((await reply(code)).status, 200, 'another ticket is not blocked');
      clock.advance(3_600_000);
      assert.equal((await reply(other.code, other.ticket)).status, 200, 'the hour is over');
      // a code given before (27 characters, case-sensitive) keeps working, as it is
      const old = await file({ service_code: 'waste', description: 'Sampah lama' });
      const oldCode = 'SIo41bWG3699CGgr_htMnTMmyys';
      const id = (await incidentOf(old.ticket)).id;
      await s.app.services.incidents.repo.db.updateTable('incidents').set({ erase_secret_hash: hashToken(oldCode) }).where('id', '=', id).execute();
      assert.equal((await reply(oldCode, old.ticket)).status, 200);
      assert.equal((await reply(oldCode.toLowerCase(), old.ticket)).status, 403, 'an old code stays case-sensitive');
      assert.equal((await reply(old.code, old.ticket)).status, 403, 'the new code it replaced no longer matches');
      assert.equal((await s.api('POST', `/api/v1/public/tickets/${old.ticket}/erase`, { body: { secret: oldCode } })).status, 204);
    });
  });
}
