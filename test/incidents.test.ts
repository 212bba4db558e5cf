import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../src/core/clock.ts';
import { addWorkingDays, slaOf, ticketPrefix, workingMsBetween } from '../src/modules/incidents/index.ts';
import { dialects, openStream, startServer, type TestServer } from './helpers.ts';

const HOUR = 3_600_000;
/** assert.ok with a message: without one, Node reads the source to make one, which hangs on transpiled test files. */
const ok = (value: unknown, message = 'expected a truthy value') => assert.ok(value, message);
const DAY = 24 * HOUR;
/** 10:00 in Jakarta (UTC+7) on a date */
const wib = (y: number, m: number, d: number, h = 10) => Date.UTC(y, m - 1, d, h - 7);

describe('SLA working days (Asia/Jakarta, national holidays)', () => {
  it('skips a weekend: Friday + 3 working days is Wednesday, same time', () => {
    assert.equal(addWorkingDays(wib(2026, 11, 27), 3), wib(2026, 12, 2));
  });
  it('counts a report filed on Saturday from Monday', () => {
    assert.equal(addWorkingDays(wib(2026, 11, 28, 15), 3), wib(2026, 12, 2, 15));
  });
  it('skips Christmas (Friday 25 December 2026) and the weekend after', () => {
    assert.equal(addWorkingDays(wib(2026, 12, 23), 3), wib(2026, 12, 29));
    assert.equal(addWorkingDays(wib(2026, 12, 23), 5), wib(2026, 12, 31));
  });
  it('skips New Year 2027 and counts ten working days', () => {
    // from Wed 30 Dec 2026: 31, (1 Jan, weekend), 4, (5 Isra Mikraj), 6, 7, 8, 11, 12, 13, 14, 15
    assert.equal(addWorkingDays(wib(2026, 12, 30), 10), wib(2027, 1, 15));
  });
  it('uses the local day, not the UTC day: 23:30 WIB on Friday is still Friday', () => {
    assert.equal(addWorkingDays(wib(2026, 11, 27, 23) + 30 * 60_000, 1), wib(2026, 11, 30, 23) + 30 * 60_000);
  });
  it('counts working time only', () => {
    assert.equal(workingMsBetween(wib(2026, 11, 27), wib(2026, 11, 30)), 14 * HOUR + 10 * HOUR, 'Friday 10:00 to Monday 10:00');
    assert.equal(workingMsBetween(wib(2026, 12, 24, 0), wib(2026, 12, 26, 0)), 24 * HOUR, 'Christmas does not count');
  });
  it('is green before 2/3 of the working time, yellow after, red past due', () => {
    const mon = wib(2026, 11, 30, 0);
    assert.equal(slaOf('route', mon, mon + 3 * DAY, mon + 1.9 * DAY).state, 'green');
    assert.equal(slaOf('route', mon, mon + 3 * DAY, mon + 2.1 * DAY).state, 'yellow');
    const late = slaOf('route', mon, mon + 3 * DAY, mon + 3 * DAY + 1);
    assert.equal(late.state, 'red');
    assert.equal(late.overdue, true);
    assert.deepEqual(slaOf(null, null, null, 5), { dueAt: null, stage: null, state: null, overdue: false });
  });
  it('makes ticket prefixes from the region name', () => {
    assert.equal(ticketPrefix('Kabupaten Musi Rawas'), 'MR');
    assert.equal(ticketPrefix('Musi Rawas Utara'), 'MRU');
    assert.equal(ticketPrefix('Kota Palembang'), 'PA');
  });
});

for (const dialect of await dialects()) {
  describe(`incidents on ${dialect.name}`, () => {
    let s: TestServer;
    let admin: string;
    let viewer: string;
    let opPupr: string;
    let opPupr2: string;
    let opBpbd: string;
    const ids: Record<string, string> = {};
    const clock = new ManualClock(wib(2026, 12, 23));

    const api = (method: string, path: string, token: string, body?: unknown) => s.api(method, path, { token, ...(body !== undefined && { body }) });
    const svc = () => s.app.services.incidents;
    const regionId = async () => (await s.api('GET', '/api/v1/auth/me', { token: admin })).body.regionId ?? (await s.app.services.identity.listRegions())[0]!.id;

    before(async () => {
      s = await startServer(dialect, { sessionTtlHours: 24 * 90 }, { clock, ruleTickMs: null });
      admin = await s.login();
      // Categories were seeded at boot, before these OPDs exist: they must route once the OPDs do.
      for (const code of ['PUPR', 'BPBD', 'DLH']) {
        const res = await api('POST', '/api/v1/opds', admin, { code, name: `Dinas ${code}` });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        ids[code] = res.body.id;
      }
      const user = async (email: string, role: string, opdId: string | null) => {
        const res = await api('POST', '/api/v1/users', admin, { email, name: `User ${email.split('@')[0]}`, password: 'password-123456', role, ...(opdId && { opdId }) });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        ids[email] = res.body.id;
        return s.login(email, 'password-123456');
      };
      opPupr = await user('pupr1@musirawas.go.id', 'operator', ids.PUPR!);
      opPupr2 = await user('pupr2@musirawas.go.id', 'operator', ids.PUPR!);
      opBpbd = await user('bpbd@musirawas.go.id', 'operator', ids.BPBD!);
      viewer = await user('pimpinan@musirawas.go.id', 'viewer', null);
      // This file tests handling and the SLA; its public views read reports as published (moderation: test/events.test.ts).
      for (const c of (await api('GET', '/api/v1/incident-categories', admin)).body as { code: string }[]) {
        assert.equal((await api('PATCH', `/api/v1/incident-categories/${c.code}`, admin, { autoPublish: true })).status, 200);
      }
    });
    after(async () => {
      await s.close();
    });

    const report = async (categoryCode: string, extra: Record<string, unknown> = {}) =>
      svc().fileReport(await regionId(), {
        categoryCode,
        description: 'Gorong-gorong runtuh di Muara Beliti',
        lon: 102.95,
        lat: -3.23,
        address: 'Jl. Lintas Sumatera km 12',
        reporter: { name: 'Siti Aminah', phone: '081234567890', email: 'siti@example.org' },
        photoIds: [],
        mediaUrl: null,
        attributes: categoryCode === 'roads' ? { passable: 'partly' } : categoryCode === 'flooding' ? { water_depth_cm: '40' } : {},
        apiKeyId: null,
        ...extra,
      });

    describe('categories', () => {
      it('seeds the default categories, routed by OPD code to OPDs created later', async () => {
        const res = await api('GET', '/api/v1/incident-categories', viewer);
        assert.equal(res.status, 200);
        const byCode = new Map((res.body as any[]).map((c) => [c.code, c]));
        for (const code of ['roads', 'flooding', 'street_lights', 'waste', 'fallen_trees', 'forest_fires', 'clean_water', 'public_facilities', 'health_services', 'other']) {
          ok(byCode.has(code), code);
        }
        assert.equal(byCode.get('roads').nameId, 'Jalan / jembatan rusak');
        assert.equal(byCode.get('roads').opdId, ids.PUPR);
        assert.equal(byCode.get('flooding').opdId, ids.BPBD);
        assert.equal(byCode.get('health_services').opdCode, 'DINKES');
        assert.equal(byCode.get('health_services').opdId, null, 'DINKES does not exist in this region yet');
        assert.equal(byCode.get('other').opdCode, null);
        assert.deepEqual(byCode.get('flooding').attributes.map((a: any) => [a.code, a.datatype, a.required]), [['water_depth_cm', 'number', true]]);
        assert.equal((await api('GET', '/api/v1/incident-categories', '')).status, 401);
      });

      it('does not seed twice', async () => {
        assert.equal(await svc().ensureDefaultCategories(await regionId()), false);
        assert.equal((await api('GET', '/api/v1/incident-categories', admin)).body.length, 10);
      });

      it('lets an admin create, change and delete a category; others may not', async () => {
        const body = { code: 'stray_animals', nameId: 'Hewan liar', nameEn: 'Stray animals', group: 'lingkungan', opdCode: 'dlh' };
        assert.equal((await api('POST', '/api/v1/incident-categories', opPupr, body)).status, 403);
        const created = await api('POST', '/api/v1/incident-categories', admin, { ...body, slaRouteDays: 2 });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.deepEqual([created.body.slaRouteDays, created.body.slaFollowUpDays, created.body.slaCloseDays], [2, null, null], 'its own routing days, the default for the rest');
        assert.equal(created.body.opdCode, 'DLH');
        assert.equal(created.body.opdId, ids.DLH);
        assert.equal((await api('POST', '/api/v1/incident-categories', admin, body)).body.error.code, 'CATEGORY_EXISTS');
        const bad = await api('POST', '/api/v1/incident-categories', admin, { ...body, code: 'Bad Code!' });
        assert.equal(bad.status, 400);
        const patched = await api('PATCH', '/api/v1/incident-categories/stray_animals', admin, { active: false, keywords: ['anjing'] });
        assert.equal(patched.status, 200);
        assert.equal(patched.body.active, false);
        assert.equal((await api('PATCH', '/api/v1/incident-categories/stray_animals', viewer, { active: true })).status, 403);
        assert.equal((await api('DELETE', '/api/v1/incident-categories/stray_animals', admin)).status, 204);
        assert.equal((await api('DELETE', '/api/v1/incident-categories/stray_animals', admin)).body.error.code, 'CATEGORY_NOT_FOUND');
      });
    });

    describe('filing', () => {
      it('files a citizen report with a ticket number, routed by its category, reporter kept apart', async () => {
        const { incident, eraseSecret } = await report('roads');
        assert.match(incident.ticket, /^MR-\d{6}$/);
        assert.equal(incident.source, 'report');
        assert.equal(incident.status, 'new');
        assert.equal(incident.opdId, ids.PUPR);
        assert.equal(incident.opdCode, 'PUPR');
        assert.equal(incident.severity, 'medium');
        assert.equal(incident.title, 'Gorong-gorong runtuh di Muara Beliti', "the reporter's words name it, not the category");
        assert.deepEqual(incident.attributes, { passable: 'partly' });
        assert.match(eraseSecret, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
        const second = await report('roads');
        assert.equal(Number(second.incident.ticket.slice(3)), Number(incident.ticket.slice(3)) + 1, 'numbers follow each other');
      });

      it('refuses an unknown category, a missing required attribute and an empty description', async () => {
        await assert.rejects(report('no_such_service'), (e: any) => e.code === 'CATEGORY_UNKNOWN' && e.status === 400);
        await assert.rejects(report('flooding', { attributes: {} }), (e: any) => e.code === 'VALIDATION_FAILED' && /water_depth_cm/.test(e.message));
        await assert.rejects(report('flooding', { attributes: { water_depth_cm: 'deep' } }), (e: any) => e.code === 'VALIDATION_FAILED');
        await assert.rejects(report('roads', { attributes: { passable: 'maybe' } }), (e: any) => e.code === 'VALIDATION_FAILED');
        await assert.rejects(report('roads', { description: '   ' }), (e: any) => e.code === 'VALIDATION_FAILED');
        await assert.rejects(report('roads', { lon: 200 }), (e: any) => e.code === 'VALIDATION_FAILED');
        await assert.rejects(report('roads', { reporter: { name: 'x'.repeat(201) } }), (e: any) => e.code === 'VALIDATION_FAILED' && /name/.test(e.message));
      });

      it("files an operator's entry; HTML and script are stored as they are and returned as data", async () => {
        const text = '<script>alert("x")</script><img src=x onerror=alert(1)> & "kutip"';
        const res = await api('POST', '/api/v1/incidents', opPupr, { categoryCode: 'roads', title: text, description: text, severity: 'high', lon: 102.9, lat: -3.2 });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.source, 'operator');
        assert.equal(res.body.title, text);
        assert.equal(res.body.description, text);
        const got = await fetch(`${s.url}/api/v1/incidents/${res.body.id}`, { headers: { authorization: `Bearer ${admin}` } });
        assert.match(got.headers.get('content-type') ?? '', /application\/json/);
        assert.equal(((await got.json()) as { description: string }).description, text);
      });

      it('refuses an unknown category with 400, a viewer with 403, a lone lon with 400', async () => {
        const unknown = await api('POST', '/api/v1/incidents', admin, { categoryCode: 'nope', description: 'x' });
        assert.equal(unknown.status, 400);
        assert.equal(unknown.body.error.code, 'CATEGORY_UNKNOWN');
        assert.equal((await api('POST', '/api/v1/incidents', viewer, { categoryCode: 'roads', description: 'x' })).status, 403);
        assert.equal((await api('POST', '/api/v1/incidents', admin, { categoryCode: 'roads', description: 'x', lon: 102 })).status, 400);
        assert.equal((await api('POST', '/api/v1/incidents', admin, { categoryCode: 'roads', description: '' })).status, 400);
      });
    });

    describe('who sees what', () => {
      it('shows the reporter only to admins and the assigned OPD', async () => {
        const { incident } = await report('roads');
        const asAdmin = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.deepEqual(asAdmin.body.reporter, { name: 'Siti Aminah', phone: '081234567890', email: 'siti@example.org' });
        const asPupr = await api('GET', `/api/v1/incidents/${incident.id}`, opPupr);
        assert.equal(asPupr.body.reporter.name, 'Siti Aminah');
        const asViewer = await api('GET', `/api/v1/incidents/${incident.id}`, viewer);
        assert.equal(asViewer.status, 200);
        assert.equal('reporter' in asViewer.body, false);
        assert.doesNotMatch(JSON.stringify(asViewer.body), /Siti|0812345|siti@/);
        const asBpbd = await api('GET', `/api/v1/incidents/${incident.id}`, opBpbd);
        assert.equal(asBpbd.status, 403);
        const listViewer = await api('GET', '/api/v1/incidents?limit=1000', viewer);
        assert.doesNotMatch(JSON.stringify(listViewer.body), /Siti|0812345|siti@/);
        const listBpbd = await api('GET', '/api/v1/incidents?limit=1000', opBpbd);
        assert.equal((listBpbd.body.items as any[]).some((i) => i.id === incident.id), false, "another OPD's incident is not in the inbox");
        assert.doesNotMatch(JSON.stringify(listBpbd.body), /Siti/);
        // another OPD's operator cannot act on it either
        for (const [path, body] of [
          ['assign', { assigneeUserId: ids['bpbd@musirawas.go.id'] }],
          ['status', { status: 'rejected', reason: 'bukan kami' }],
          ['updates', { text: 'x', public: true }],
          ['erase-reporter', undefined],
        ] as const) {
          assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/${path}`, opBpbd, body)).status, 403, path);
          assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/${path}`, viewer, body)).status, 403, `viewer ${path}`);
        }
        assert.equal((await api('GET', '/api/v1/incidents/00000000-0000-4000-8000-000000000000', admin)).body.error.code, 'INCIDENT_NOT_FOUND');
      });

      it('filters the inbox by status, category, severity, source and text, and pages it', async () => {
        const all = await api('GET', '/api/v1/incidents?categoryCode=roads&status=new,assigned&severity=medium,high&limit=2', admin);
        assert.equal(all.status, 200);
        assert.equal(all.body.items.length, 2);
        ok(all.body.nextCursor);
        const next = await api('GET', `/api/v1/incidents?categoryCode=roads&status=new,assigned&severity=medium,high&limit=2&cursor=${all.body.nextCursor}`, admin);
        ok(next.body.items.every((i: any) => !all.body.items.some((j: any) => j.id === i.id)));
        const op = await api('GET', '/api/v1/incidents?source=operator', admin);
        ok(op.body.items.length >= 1 && op.body.items.every((i: any) => i.source === 'operator'));
        const q = await api('GET', `/api/v1/incidents?q=${encodeURIComponent('GORONG')}`, admin);
        ok(q.body.items.length >= 1 && q.body.items.every((i: any) => /gorong/i.test(i.description)));
        const wildcard = await api('GET', `/api/v1/incidents?q=${encodeURIComponent('%')}`, admin);
        assert.equal(wildcard.body.items.length, 0, 'a % is searched for, not a wildcard');
        assert.equal((await api('GET', '/api/v1/incidents?status=open', admin)).body.error.code, 'QUERY_INVALID');
      });
    });

    describe('handling', () => {
      it('assigns to a person of the OPD, refuses a person of another OPD', async () => {
        // whom an operator can choose: the active people of their own OPD, by name
        const people = await api('GET', `/api/v1/opds/${ids.PUPR}/people`, opPupr);
        assert.equal(people.status, 200, JSON.stringify(people.body));
        assert.deepEqual(people.body, [
          { id: ids['pupr1@musirawas.go.id'], name: 'User pupr1' },
          { id: ids['pupr2@musirawas.go.id'], name: 'User pupr2' },
        ]);
        assert.equal((await api('GET', `/api/v1/opds/${ids.BPBD}/people`, opPupr)).status, 403, "not another OPD's");
        assert.equal((await api('GET', `/api/v1/opds/${ids.PUPR}/people`, viewer)).status, 403);
        assert.equal((await api('GET', `/api/v1/opds/${ids.BPBD}/people`, admin)).body.length, 1);
        // a viewer of the OPD is not someone to hand work to: they could not act on it
        const reader = await api('POST', '/api/v1/users', admin, { email: 'pembaca.pupr@musirawas.go.id', name: 'Pembaca PUPR', password: 'password-123456', role: 'viewer', opdId: ids.PUPR });
        assert.equal(reader.status, 201, JSON.stringify(reader.body));
        assert.equal((await api('GET', `/api/v1/opds/${ids.PUPR}/people`, admin)).body.length, 2, 'the viewer is not listed');
        const { incident } = await report('roads');
        const wrong = await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, { assigneeUserId: ids['bpbd@musirawas.go.id'] });
        assert.equal(wrong.status, 400);
        assert.match(wrong.body.error.message, /PUPR/);
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, { assigneeUserId: reader.body.id })).status, 400, 'not to a viewer');
        const ok = await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, { assigneeUserId: ids['pupr2@musirawas.go.id'] });
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        assert.equal(ok.body.status, 'assigned');
        assert.equal(ok.body.assigneeUserId, ids['pupr2@musirawas.go.id']);
        assert.equal(ok.body.assigneeName, 'User pupr2');
        assert.equal(ok.body.sla.stage, 'follow_up');
        ids.assigned = incident.id;
      });

      it('walks the status machine and refuses invalid transitions with 409', async () => {
        const id = ids.assigned!;
        const skip = await api('POST', `/api/v1/incidents/${id}/status`, opPupr2, { status: 'resolved' });
        assert.equal(skip.status, 409);
        assert.equal(skip.body.error.code, 'INCIDENT_TRANSITION_INVALID');
        const noReason = await api('POST', `/api/v1/incidents/${id}/status`, opPupr2, { status: 'rejected' });
        assert.equal(noReason.status, 400);
        assert.equal((await api('POST', `/api/v1/incidents/${id}/status`, opPupr2, { status: 'rejected', reason: '   ' })).status, 400);
        assert.equal((await api('POST', `/api/v1/incidents/${id}/status`, opPupr2, { status: 'flying' })).status, 400);
        for (const status of ['in_progress', 'resolved', 'in_progress', 'resolved', 'closed']) {
          const res = await api('POST', `/api/v1/incidents/${id}/status`, opPupr2, { status });
          assert.equal(res.status, 200, `${status}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.status, status);
        }
        const closed = await api('POST', `/api/v1/incidents/${id}/status`, admin, { status: 'in_progress' });
        assert.equal(closed.status, 409);
        const detail = await api('GET', `/api/v1/incidents/${id}`, admin);
        ok(detail.body.closedAt > 0);
        const steps = (detail.body.timeline as any[]).filter((e) => e.kind === 'status').map((e) => `${e.from}>${e.to}`);
        assert.deepEqual(steps, ['new>assigned', 'assigned>in_progress', 'in_progress>resolved', 'resolved>in_progress', 'in_progress>resolved', 'resolved>closed']);
        const last = (detail.body.timeline as any[]).at(-1);
        assert.deepEqual(last.actor, { userId: ids['pupr2@musirawas.go.id'], name: 'User pupr2' });
        assert.equal(typeof last.at, 'number');
        assert.deepEqual((detail.body.timeline as any[])[0].kind, 'created');
      });

      it('rejects with a reason from new, and the reason is kept', async () => {
        const { incident } = await report('roads');
        const res = await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'rejected', reason: 'Bukan jalan kabupaten' });
        assert.equal(res.status, 200);
        assert.equal(res.body.rejectReason, 'Bukan jalan kabupaten');
        assert.equal(res.body.sla.stage, null);
        const pub = await svc().publicByTicket(await regionId(), incident.ticket);
        assert.equal(pub!.status, 'rejected');
        assert.equal(pub!.publicStatus, 'closed');
        ok(pub!.updates.some((u) => u.text === 'Bukan jalan kabupaten'));
      });

      it('changes the severity with a timeline entry; another OPD and viewers may not', async () => {
        const { incident } = await report('roads');
        assert.equal((await api('PATCH', `/api/v1/incidents/${incident.id}`, opBpbd, { severity: 'critical' })).status, 403);
        assert.equal((await api('PATCH', `/api/v1/incidents/${incident.id}`, viewer, { severity: 'critical' })).status, 403);
        assert.equal((await api('PATCH', `/api/v1/incidents/${incident.id}`, opPupr, { severity: 'urgent' })).status, 400);
        const res = await api('PATCH', `/api/v1/incidents/${incident.id}`, opPupr, { severity: 'critical' });
        assert.equal(res.status, 200);
        assert.equal(res.body.severity, 'critical');
        const detail = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        const entry = (detail.body.timeline as any[]).find((e) => e.kind === 'severity');
        assert.deepEqual([entry.from, entry.to, entry.actor.userId], ['medium', 'critical', ids['pupr1@musirawas.go.id']]);
      });

      it('keeps public updates for the reporter and internal notes for staff', async () => {
        const { incident } = await report('roads');
        const pub = await api('POST', `/api/v1/incidents/${incident.id}/updates`, opPupr, { text: 'Tim akan datang besok <b>pagi</b>', public: true });
        assert.equal(pub.status, 201, JSON.stringify(pub.body));
        assert.equal(pub.body.kind, 'public_update');
        assert.equal(pub.body.public, true);
        const note = await api('POST', `/api/v1/incidents/${incident.id}/updates`, opPupr, { text: 'Hubungi kontraktor CV Maju', public: false });
        assert.equal(note.body.kind, 'note');
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/updates`, opPupr, { text: '', public: true })).status, 400);
        const view = await svc().publicByTicket(await regionId(), incident.ticket);
        ok(view!.updates.some((u) => u.text === 'Tim akan datang besok <b>pagi</b>'));
        assert.doesNotMatch(JSON.stringify(view), /kontraktor|Siti|0812345|siti@/);
        assert.equal((await svc().publicByTicket(await regionId(), 'MR-999999')), null);
      });

      it('routes an unrouted report through Diskominfo or an admin; another OPD cannot take it and so read its reporter', async () => {
        const { incident } = await report('other');
        assert.equal(incident.opdId, null);
        const list = await api('GET', '/api/v1/incidents?categoryCode=other', opBpbd);
        ok((list.body.items as any[]).some((i) => i.id === incident.id), 'unrouted reports are in every inbox');
        assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, opBpbd)).body.reporter, undefined);
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/assign`, opBpbd, {})).status, 403, 'not taken for BPBD');
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/assign`, opBpbd, { opdId: ids.BPBD })).status, 403);
        const diskominfo = ((await api('GET', '/api/v1/opds', admin)).body as { id: string; code: string }[]).find((o) => o.code === 'DISKOMINFO')!;
        await api('POST', '/api/v1/users', admin, { email: 'kominfo@musirawas.go.id', name: 'Router Kominfo', password: 'password-123456', role: 'operator', opdId: diskominfo.id });
        const router = await s.login('kominfo@musirawas.go.id', 'password-123456');
        assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, router)).body.reporter, undefined, 'routing needs no personal data');
        const routed = await api('POST', `/api/v1/incidents/${incident.id}/assign`, router, { opdId: ids.BPBD });
        assert.equal(routed.status, 200, JSON.stringify(routed.body));
        assert.equal(routed.body.opdCode, 'BPBD');
        assert.ok((await api('GET', `/api/v1/incidents/${incident.id}`, opBpbd)).body.reporter, 'BPBD, now responsible, sees the reporter');
        const moved = await api('POST', `/api/v1/incidents/${incident.id}/assign`, admin, { opdId: ids.DLH });
        assert.equal(moved.body.opdCode, 'DLH');
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/assign`, admin, { opdId: '00000000-0000-4000-8000-000000000000' })).body.error.code, 'OPD_NOT_FOUND');
      });
    });

    describe('SLA', () => {
      it('is green, then yellow after 2/3 of the routing time, then red and overdue across a weekend and a holiday', async () => {
        clock.set(wib(2026, 12, 23)); // Wednesday 10:00 WIB
        const { incident } = await report('roads');
        assert.equal(incident.sla.stage, 'route');
        assert.equal(incident.sla.dueAt, wib(2026, 12, 29), 'Thu 24, (Fri 25 Christmas, weekend), Mon 28, Tue 29');
        assert.equal(incident.sla.state, 'green');
        // Working time: Wed 14 h + Thu 24 h + Mon 24 h + Tue 10 h = 72 h; 2/3 is 48 h, reached on Monday at 10:00.
        clock.set(wib(2026, 12, 27)); // Sunday: 4 of 6 calendar days gone, but only 38 of 72 working hours
        assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, admin)).body.sla.state, 'green', 'a weekend and a holiday do not use up the time');
        clock.set(wib(2026, 12, 28) - 60_000);
        assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, admin)).body.sla.state, 'green');
        clock.set(wib(2026, 12, 28) + 60_000);
        assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, admin)).body.sla.state, 'yellow');
        const notYet = await api('GET', '/api/v1/incidents?overdue=true&limit=1000', admin);
        assert.equal((notYet.body.items as any[]).some((i) => i.id === incident.id), false);
        clock.set(wib(2026, 12, 29) + 60_000);
        const late = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.equal(late.body.sla.state, 'red');
        assert.equal(late.body.sla.overdue, true);
        const overdue = await api('GET', '/api/v1/incidents?overdue=true&limit=1000', admin);
        ok((overdue.body.items as any[]).some((i) => i.id === incident.id));
        ok((overdue.body.items as any[]).every((i) => i.sla.overdue));
        // routed late: the follow-up stage starts now, 5 working days (skipping 1 Jan 2027)
        const assigned = await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, {});
        assert.equal(assigned.body.sla.stage, 'follow_up');
        assert.equal(assigned.body.sla.dueAt, addWorkingDays(clock.now(), 5));
        assert.equal(assigned.body.sla.dueAt, wib(2027, 1, 7) + 60_000, '30, 31, (1 Jan, weekend), 4, (5 Isra Mikraj), 6, 7');
        assert.equal(assigned.body.sla.state, 'green');
        // a public update is the follow-up: that stage is done and resolving is owed, with its own target (never no deadline while open)
        const update = await api('POST', `/api/v1/incidents/${incident.id}/updates`, opPupr, { text: 'Sudah dicek', public: true });
        assert.equal(update.status, 201);
        const followed = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.equal(followed.body.status, 'assigned');
        assert.equal(followed.body.sla.stage, 'resolve');
        assert.ok(followed.body.sla.dueAt > clock.now());
        assert.equal(followed.body.sla.state, 'green');
        assert.equal(followed.body.sla.overdue, false);
        // marking the work started keeps that target: no fresh clock
        clock.advance(HOUR);
        const started = await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'in_progress' });
        assert.deepEqual([started.body.sla.stage, started.body.sla.dueAt], ['resolve', followed.body.sla.dueAt]);
        ids.lateRouted = incident.id;
      });

      it('closes a resolved incident automatically after 10 silent working days, not before', async () => {
        clock.set(wib(2026, 12, 30, 9)); // Wednesday; resolved at 11:00
        const { incident } = await report('roads');
        await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, {});
        await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'in_progress' });
        clock.advance(2 * HOUR);
        const resolved = await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'resolved' });
        assert.equal(resolved.body.sla.stage, 'close');
        assert.equal(resolved.body.sla.dueAt, wib(2027, 1, 15, 11));
        clock.set(wib(2027, 1, 15, 11) - 60_000);
        await svc().tick();
        assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, admin)).body.status, 'resolved');
        clock.set(wib(2027, 1, 15, 11) + 60_000);
        ok((await svc().tick()) >= 1);
        const closed = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.equal(closed.body.status, 'closed');
        const last = (closed.body.timeline as any[]).at(-1);
        assert.deepEqual([last.kind, last.from, last.to, last.actor, last.text], ['auto_closed', 'resolved', 'closed', null, null], 'a kind the pages word in the reader\'s language, no stored sentence');
        const ticket = await s.api('GET', `/api/v1/public/tickets/${incident.ticket}`);
        assert.deepEqual(ticket.body.updates.at(-1), { at: last.at, kind: 'auto_closed', text: null, status: 'closed', ticket: null });
      });

      it('does not close a report whose due time an answer moved on after the job read its list', async () => {
        clock.set(wib(2027, 1, 18)); // Monday
        const { incident } = await report('roads');
        await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, {});
        await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'in_progress' });
        clock.advance(2 * HOUR); // the summary below counts it: resolved after 2 hours keeps its median
        const resolved = await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'resolved' });
        clock.set(resolved.body.sla.dueAt + 60_000);
        // The OPD answers between the job's read of the due reports and its update.
        const repo = (svc() as unknown as { repo: { dueForClose: (now: number) => Promise<{ id: string }[]> } }).repo;
        const read = repo.dueForClose.bind(repo);
        repo.dueForClose = async (now) => {
          const list = await read(now);
          ok(list.some((r) => r.id === incident.id), 'due when read');
          assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/updates`, opPupr, { text: 'Mohon dicek lagi, Pak', public: true })).status, 201);
          return list;
        };
        try {
          await svc().tick();
        } finally {
          delete (repo as { dueForClose?: unknown }).dueForClose;
        }
        const after = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.equal(after.body.status, 'resolved', 'the answer restarted the countdown');
        ok(after.body.sla.dueAt > clock.now());
        assert.equal((after.body.timeline as any[]).some((e) => e.kind === 'auto_closed'), false);
      });

      it('restarts the 10 days when an answer is posted to a resolved incident', async () => {
        clock.set(wib(2027, 1, 18)); // Monday
        const { incident } = await report('roads');
        await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, {});
        await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'in_progress' });
        clock.advance(3 * HOUR);
        await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'resolved' });
        clock.set(wib(2027, 1, 25));
        await api('POST', `/api/v1/incidents/${incident.id}/updates`, opPupr, { text: 'Foto sesudah perbaikan terlampir', public: true });
        const res = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.equal(res.body.sla.dueAt, addWorkingDays(wib(2027, 1, 25), 10));
      });

      it('summarises the SLA by OPD and category, and gives the KPI figures', async () => {
        const res = await api('GET', `/api/v1/incidents/sla-summary?from=${wib(2026, 1, 1)}&to=${clock.now() + DAY}`, viewer);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const pupr = (res.body.byOpd as any[]).find((r) => r.opdCode === 'PUPR');
        ok(pupr.open >= 1);
        ok(pupr.resolved >= 2);
        assert.equal(pupr.open, pupr.green + pupr.yellow + pupr.red);
        ok(pupr.withinSlaShare > 0 && pupr.withinSlaShare < 1, `one was routed late: ${JSON.stringify(pupr)}`);
        ok((res.body.byCategory as any[]).some((r) => r.categoryCode === 'roads'));
        assert.equal(res.body.total.medianResolveHours, 2, 'resolved after 0, 2 and 3 hours');
        const stats = await svc().stats(await regionId(), { categoryCode: 'roads', from: wib(2026, 1, 1), to: clock.now() + DAY });
        ok(stats.count >= 5);
        ok(stats.resolved >= 2);
        ok(stats.medianResolveHours! > 0);
        ok(stats.withinSlaShare! > 0 && stats.withinSlaShare! < 1, JSON.stringify(stats));
        assert.equal((await api('GET', '/api/v1/incidents/sla-summary?from=10&to=5', admin)).status, 400);
      });

      it('follows a category\'s own SLA: forest fires are routed and followed up within one working day; an admin sets the days, 0 or 61 refused', async () => {
        clock.set(wib(2026, 12, 24)); // Thursday 10:00 WIB; Friday 25 is Christmas
        const fire = (await report('forest_fires')).incident;
        assert.equal(fire.sla.dueAt, wib(2026, 12, 28), 'one working day: Monday 28, past Christmas and the weekend');
        const assigned = await api('POST', `/api/v1/incidents/${fire.id}/assign`, admin, {});
        assert.equal(assigned.body.sla.dueAt, wib(2026, 12, 28), 'followed up within one working day too');
        const category = await api('GET', '/api/v1/incident-categories', admin);
        const roads = (category.body as any[]).find((c) => c.code === 'roads');
        assert.deepEqual([roads.slaRouteDays, roads.slaFollowUpDays, roads.slaCloseDays], [null, null, null], 'roads keep the SP4N-LAPOR! default');
        assert.equal((await api('PATCH', '/api/v1/incident-categories/roads', admin, { slaRouteDays: 0 })).status, 400);
        assert.equal((await api('PATCH', '/api/v1/incident-categories/roads', admin, { slaRouteDays: 61 })).status, 400);
        assert.equal((await api('PATCH', '/api/v1/incident-categories/roads', opPupr, { slaRouteDays: 2 })).status, 403);
        try {
          const patched = await api('PATCH', '/api/v1/incident-categories/roads', admin, { slaRouteDays: 2, slaCloseDays: 5 });
          assert.deepEqual([patched.body.slaRouteDays, patched.body.slaFollowUpDays, patched.body.slaCloseDays], [2, null, 5]);
          const road = (await report('roads')).incident;
          assert.equal(road.sla.dueAt, wib(2026, 12, 29), 'two working days: Monday 28, Tuesday 29');
          const followUp = await api('POST', `/api/v1/incidents/${road.id}/assign`, opPupr, {});
          assert.equal(followUp.body.sla.dueAt, addWorkingDays(clock.now(), 5), 'follow-up still the default five');
          await api('POST', `/api/v1/incidents/${road.id}/status`, opPupr, { status: 'in_progress' });
          const resolved = await api('POST', `/api/v1/incidents/${road.id}/status`, opPupr, { status: 'resolved' });
          assert.equal(resolved.body.sla.dueAt, addWorkingDays(clock.now(), 5), 'closes after five silent working days');
        } finally {
          // the next tests count on the defaults
          assert.equal((await api('PATCH', '/api/v1/incident-categories/roads', admin, { slaRouteDays: null, slaCloseDays: null })).body.slaRouteDays, null, 'back to the default');
        }
      });
    });

    describe('duplicates', () => {
      it('suggests the same category within 250 m and 72 h, and merges one into the other', async () => {
        clock.set(wib(2027, 2, 1));
        const a = (await report('waste', { lon: 103.1, lat: -3.1 })).incident;
        clock.advance(2 * HOUR);
        const b = (await report('waste', { lon: 103.1009, lat: -3.1 })).incident; // ~100 m east
        const far = (await report('waste', { lon: 103.11, lat: -3.1 })).incident; // ~1.1 km
        const other = (await report('fallen_trees', { lon: 103.1, lat: -3.1 })).incident;
        clock.advance(80 * HOUR);
        const later = (await report('waste', { lon: 103.1, lat: -3.1 })).incident; // 82 h after a
        const detail = await api('GET', `/api/v1/incidents/${a.id}`, admin);
        const dupIds = (detail.body.duplicates as any[]).map((d) => d.id);
        assert.deepEqual(dupIds, [b.id]);
        ok(Math.abs(detail.body.duplicates[0].distanceM - 100) < 5);
        assert.equal(dupIds.includes(far.id) || dupIds.includes(other.id) || dupIds.includes(later.id), false);
        assert.equal((await api('POST', `/api/v1/incidents/${b.id}/merge`, admin, { intoId: b.id })).status, 400);
        const merged = await api('POST', `/api/v1/incidents/${b.id}/merge`, admin, { intoId: a.id });
        assert.equal(merged.status, 200, JSON.stringify(merged.body));
        assert.equal(merged.body.id, a.id);
        const gone = await api('GET', `/api/v1/incidents/${b.id}`, admin);
        assert.equal(gone.body.status, 'closed');
        assert.equal(gone.body.mergedIntoId, a.id);
        ok((gone.body.timeline as any[]).some((e) => e.kind === 'duplicate_of' && e.to === a.ticket && e.text === null), 'no sentence stored: the tickets say it');
        const target = await api('GET', `/api/v1/incidents/${a.id}`, admin);
        ok((target.body.timeline as any[]).some((e) => e.kind === 'merged' && e.from === b.ticket && e.text === null));
        // The public updates say what they are, with the ticket, and no sentence in any language.
        const [publicA] = await svc().listPublic(await regionId(), { tickets: [a.ticket], limit: 1 });
        assert.deepEqual(
          publicA!.updates.map((u) => [u.kind, u.status, u.ticket, u.text]),
          [['created', 'new', null, null], ['merged', null, b.ticket, null]],
        );
        const [publicB] = await svc().listPublic(await regionId(), { tickets: [b.ticket], limit: 1 });
        assert.deepEqual(
          publicB!.updates.map((u) => [u.kind, u.status, u.ticket, u.text]),
          [['created', 'new', null, null], ['duplicate_of', null, a.ticket, null], ['status', 'closed', null, null]],
        );
        assert.equal((target.body.duplicates as any[]).length, 0, 'a merged one is no longer suggested');
        assert.equal((await api('POST', `/api/v1/incidents/${b.id}/merge`, admin, { intoId: a.id })).status, 409);
        // b answers as itself (closed, naming a), by ticket and in a list alike, while a moves on
        await api('POST', `/api/v1/incidents/${a.id}/assign`, admin, {});
        await api('POST', `/api/v1/incidents/${a.id}/status`, admin, { status: 'in_progress' });
        const own = await svc().publicByTicket(await regionId(), b.ticket);
        assert.equal(own!.ticket, b.ticket);
        assert.equal(own!.status, 'closed');
        assert.equal(own!.lon, 103.1009);
        assert.equal(own!.mergedIntoTicket, a.ticket);
        assert.deepEqual(own, (await svc().listPublic(await regionId(), { tickets: [b.ticket], limit: 1 }))[0]);
      });
    });

    describe('erasure (UU PDP 27/2022)', () => {
      it('erases the personal data from the database and every response, leaving a timeline entry', async () => {
        const { incident } = await report('roads', { reporter: { name: 'Budi Santoso', phone: '0899111222', email: 'budi@example.org' } });
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/erase-reporter`, opBpbd)).status, 403);
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/erase-reporter`, opPupr)).status, 204);
        const db = s.app.services.database.db;
        assert.equal((await db.selectFrom('incident_reporters').selectAll().where('incident_id', '=', incident.id).execute()).length, 0);
        const row = await db.selectFrom('incidents').selectAll().where('id', '=', incident.id).executeTakeFirstOrThrow();
        assert.doesNotMatch(JSON.stringify(row), /Budi|0899111222|budi@/);
        const res = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.deepEqual(res.body.reporter, { name: null, phone: null, email: null });
        assert.doesNotMatch(JSON.stringify(res.body), /Budi|0899111222|budi@/);
        const entry = (res.body.timeline as any[]).find((e) => e.kind === 'reporter_erased');
        assert.equal(entry.actor.userId, ids['pupr1@musirawas.go.id']);
      });

      it('lets the reporter erase with the secret given at filing, and only with it', async () => {
        const { incident, eraseSecret } = await report('roads', { reporter: { name: 'Rina', phone: null, email: 'rina@example.org' } });
        const region = await regionId();
        assert.equal(await svc().eraseReporterBySecret(region, incident.ticket, 'wrong-secret'), false);
        assert.equal(await svc().eraseReporterBySecret(region, 'MR-999999', eraseSecret), false);
        assert.equal(await svc().eraseReporterBySecret(region, incident.ticket, eraseSecret), true);
        assert.equal(await svc().eraseReporterBySecret(region, incident.ticket, eraseSecret), false, 'the secret is spent');
        const res = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.equal(res.body.reporter.email, null);
        const entry = (res.body.timeline as any[]).find((e) => e.kind === 'reporter_erased');
        assert.equal(entry.actor, null);
      });

      it('has nothing to erase on a report without personal data: an admin changes nothing and the code keeps working; the reporter by the code withdraws it', async () => {
        const region = await regionId();
        const timeline = async (id: string) => ((await api('GET', `/api/v1/incidents/${id}`, admin)).body.timeline as any[]).map((e) => e.kind);
        const { incident, eraseSecret } = await report('roads', { reporter: { name: '  ', phone: null } });
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/erase-reporter`, admin)).status, 204);
        assert.equal((await timeline(incident.id)).includes('reporter_erased'), false, 'nothing was erased: nothing logged');
        assert.equal((await svc().replyAsReporter(region, incident.ticket, eraseSecret, { text: 'Masih bisa menanggapi', reopen: false })).ticket, incident.ticket, 'the code still works');
        // The reporter's own request spends the code, said as what it is.
        assert.equal(await svc().eraseReporterBySecret(region, incident.ticket, eraseSecret), true);
        const kinds = await timeline(incident.id);
        assert.equal(kinds.includes('reporter_erased'), false);
        assert.equal(kinds.at(-1), 'reporter_code_spent');
        await assert.rejects(svc().replyAsReporter(region, incident.ticket, eraseSecret, { text: 'Halo', reopen: false }), /code does not match/);
        assert.equal(await svc().eraseReporterBySecret(region, incident.ticket, eraseSecret), false, 'the code is spent');
      });
    });

    describe('alarms open incidents', () => {
      it('refuses an incident action for an unknown OPD or, for an operator, another OPD', async () => {
        const base = { name: 'x', severity: 'siaga', target: { kind: 'device_type', value: 'river_gauge' }, key: 'waterLevel', condition: { op: 'gt', value: 3 } };
        const unknown = await api('POST', '/api/v1/rules', admin, { ...base, actions: [{ type: 'incident', opdId: '00000000-0000-4000-8000-000000000000' }] });
        assert.equal(unknown.status, 400);
        assert.match(unknown.body.error.message, /OPD/);
        const foreign = await api('POST', '/api/v1/rules', opBpbd, { ...base, actions: [{ type: 'incident', opdId: ids.PUPR }] });
        assert.equal(foreign.status, 403);
        const badCategory = await api('POST', '/api/v1/rules', admin, { ...base, actions: [{ type: 'incident', opdId: ids.BPBD, categoryCode: 'nope' }] });
        assert.equal(badCategory.status, 400);
      });

      it("opens exactly one incident for the OPD at the device's asset, and notes the clear", async () => {
        clock.set(wib(2027, 2, 10));
        const asset = await api('POST', '/api/v1/assets', admin, { type: 'river_gauge', name: 'PDA Kelingi', opdId: ids.BPBD, geometry: { type: 'Point', coordinates: [102.87, -3.05] } });
        assert.equal(asset.status, 201, JSON.stringify(asset.body));
        const device = await api('POST', '/api/v1/devices', admin, { name: 'PDA Kelingi', type: 'river_gauge', assetId: asset.body.id });
        assert.equal(device.status, 201, JSON.stringify(device.body));
        const rule = await api('POST', '/api/v1/rules', admin, {
          name: 'Kelingi Siaga',
          severity: 'siaga',
          target: { kind: 'device', value: device.body.id },
          key: 'waterLevel',
          condition: { op: 'gt', value: 3.5 },
          actions: [{ type: 'incident', opdId: ids.BPBD, categoryCode: 'flooding' }],
        });
        assert.equal(rule.status, 201, JSON.stringify(rule.body));
        const send = async (v: number) => {
          const res = await s.api('POST', `/api/v1/${device.body.accessToken}/telemetry`, { body: { ts: clock.now(), values: { waterLevel: v } } });
          assert.equal(res.status, 200);
          await s.app.services.engine.idle();
        };
        const find = async (until: (items: any[]) => boolean) => {
          for (let i = 0; i < 100; i++) {
            const items = (await api('GET', '/api/v1/incidents?source=alarm', opBpbd)).body.items as any[];
            if (until(items)) return items;
            await new Promise((r) => setTimeout(r, 50));
          }
          throw new Error('the incident did not appear');
        };
        await send(3.8);
        clock.advance(60_000);
        await send(3.9);
        clock.advance(60_000);
        await send(4.0);
        const items = await find((x) => x.length > 0);
        await new Promise((r) => setTimeout(r, 200));
        const again = (await api('GET', '/api/v1/incidents?source=alarm', opBpbd)).body.items as any[];
        assert.equal(again.length, 1, 'one incident for the alarm, not one per reading');
        const incident = items[0];
        assert.equal(incident.opdId, ids.BPBD);
        assert.equal(incident.categoryCode, 'flooding');
        assert.equal(incident.severity, 'high', 'siaga is high');
        assert.equal(incident.title, 'waterLevel 3,8 di PDA Kelingi — Siaga', 'no profile names the key here: the key as it is (test/events.test.ts has one)');
        assert.equal(incident.status, 'assigned', 'routed by its rule');
        assert.equal(incident.assetId, asset.body.id);
        ok(incident.alarmId);
        assert.equal(incident.lon, 102.87);
        assert.equal(incident.lat, -3.05);
        clock.advance(60_000);
        await send(2.0);
        for (let i = 0; i < 100; i++) {
          const d = await api('GET', `/api/v1/incidents/${incident.id}`, opBpbd);
          if ((d.body.timeline as any[]).some((e) => e.kind === 'note' && /^Alarm selesai/.test(e.text))) {
            assert.equal(d.body.status, 'assigned', 'a cleared alarm does not close its incident');
            return;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.fail('no note about the cleared alarm');
      });
    });

    describe('one incident per alarm', () => {
      it('opens one incident when the same alarm is handled twice at once (unique index), another once the first is closed', async () => {
        const region = await regionId();
        const alarmId = '11111111-1111-4111-8111-111111111111';
        const input = { alarmId, opdId: ids.BPBD!, categoryCode: 'flooding', severity: 'high' as const, title: 'Uji', description: 'uji', assetId: null };
        const results = await Promise.all([svc().openFromAlarm(region, input), svc().openFromAlarm(region, input), svc().openFromAlarm(region, input)]);
        const opened = results.filter((r) => r !== null);
        assert.equal(opened.length, 1);
        const first = opened[0]!;
        assert.equal(first.source, 'alarm');
        assert.equal(first.lon, null);
        assert.equal(await svc().openFromAlarm(region, input), null);
        await api('POST', `/api/v1/incidents/${first.id}/status`, admin, { status: 'rejected', reason: 'uji' });
        const second = await svc().openFromAlarm(region, input);
        assert.ok(second && second.id !== first.id, 'a closed incident does not block a new one');
      });
    });

    describe('stream', () => {
      it("delivers incident events on the 'incidents' topic, an operator only their OPD's, without the reporter", async () => {
        const bpbd = await openStream(s.url, opBpbd);
        const adm = await openStream(s.url, admin);
        try {
          for (const c of [bpbd, adm]) {
            c.send({ type: 'subscribe', id: 'i', topic: 'incidents' });
            await c.next((m) => m.type === 'subscribed');
          }
          const roads = (await report('roads')).incident;
          await adm.next((m) => m.type === 'incident' && m.incident.id === roads.id && m.event === 'created');
          const flood = (await report('flooding')).incident;
          const created = await bpbd.next((m) => m.type === 'incident' && m.incident.id === flood.id);
          assert.equal(created.event, 'created');
          assert.equal(created.incident.ticket, flood.ticket);
          assert.equal('reporter' in created.incident, false);
          assert.doesNotMatch(JSON.stringify(created), /Siti|0812345|siti@/);
          await api('POST', `/api/v1/incidents/${flood.id}/assign`, opBpbd, {});
          const updated = await bpbd.next((m) => m.type === 'incident' && m.event === 'updated' && m.incident.id === flood.id);
          assert.equal(updated.incident.status, 'assigned');
          await adm.next((m) => m.type === 'incident' && m.event === 'updated' && m.incident.id === flood.id);
          assert.equal(bpbd.received.some((m) => m.type === 'incident' && m.incident.id === roads.id), false, "PUPR's incident is not sent to BPBD");
        } finally {
          bpbd.close();
          adm.close();
        }
      });
    });

    describe('SP4N-LAPOR!', () => {
      const csv = [
        'tracking_id,judul,isi,kategori,lokasi,latitude,longitude,tanggal,status,instansi,tindak_lanjut,nama,email',
        'LAPOR-1001,Jalan rusak,"Jalan berlubang, dalam ""sekali""",Jalan / jembatan rusak,Desa Lubuk Kupang,-3.21,102.9,2027-02-01 08:30:00,Belum Terverifikasi,,,Andi,andi@example.org',
        'LAPOR-1002,Pungutan liar,Ada pungli di pasar <script>x</script>,Pungutan Liar,Pasar Muara Beliti,,,2027-02-02,Proses,,Sudah diteruskan,,',
        'LAPOR-1003,Kosong,,Sampah,,,,2027-02-02,Proses,,,,',
        'LAPOR-1004,Tanggal salah,Isi ada,Sampah,,,,kemarin,Proses,,,,',
        'LAPOR-1005,Koordinat,Isi ada,Sampah,,-3.2,,2027-02-02,Proses,,,,',
      ].join('\n');

      it('imports a LAPOR! CSV: valid rows filed, bad rows reported by line, idempotent on the tracking id', async () => {
        clock.set(wib(2027, 2, 15));
        assert.equal((await s.api('POST', '/api/v1/incidents/import/lapor', { token: opPupr, raw: csv, headers: { 'content-type': 'text/csv' } })).status, 403);
        const res = await s.api('POST', '/api/v1/incidents/import/lapor', { token: admin, raw: csv, headers: { 'content-type': 'text/csv' } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.created, 2, JSON.stringify(res.body));
        assert.equal(res.body.skipped, 0);
        assert.deepEqual(res.body.errors.map((e: any) => e.row), [4, 5, 6]);
        assert.match(res.body.errors[0].reason, /isi/);
        const list = (await api('GET', '/api/v1/incidents?source=lapor', admin)).body.items as any[];
        const road = list.find((i) => i.laporId === 'LAPOR-1001');
        assert.equal(road.categoryCode, 'roads');
        assert.equal(road.description, 'Jalan berlubang, dalam "sekali"');
        assert.equal(road.createdAt, wib(2027, 2, 1, 8) + 30 * 60_000);
        assert.equal(road.reporter.name, 'Andi');
        const pungli = list.find((i) => i.laporId === 'LAPOR-1002');
        assert.equal(pungli.categoryCode, 'other', 'an unknown LAPOR! category goes to Lainnya');
        assert.equal(pungli.description, 'Ada pungli di pasar <script>x</script>');
        const again = await s.api('POST', '/api/v1/incidents/import/lapor', { token: admin, body: { csv } });
        assert.equal(again.status, 200);
        assert.equal(again.body.created, 0);
        assert.equal(again.body.skipped, 2);
        assert.equal((await api('GET', '/api/v1/incidents?source=lapor', admin)).body.items.length, 2);

        const form = new FormData();
        form.append('file', new Blob([csv.replace(/LAPOR-100/g, 'LAPOR-200')], { type: 'text/csv' }), 'lapor.csv');
        const upload = await fetch(`${s.url}/api/v1/incidents/import/lapor`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
        const uploaded = (await upload.json()) as { created: number; errors: unknown[] };
        assert.equal(upload.status, 200, JSON.stringify(uploaded));
        assert.equal(uploaded.created, 2, 'a multipart file upload works too');
        const garbage = await s.api('POST', '/api/v1/incidents/import/lapor', { token: admin, raw: 'a,b\n"unclosed', headers: { 'content-type': 'text/csv' } });
        assert.equal(garbage.status, 400);
        assert.equal(garbage.body.error.code, 'CSV_INVALID');
        // The file is decoded on the parser worker; the rule on stored text still holds for every cell, however it came.
        const withNul = 'tracking_id,isi\nLAPOR-3001,Jalan\u0000rusak\n';
        for (const [sent, where] of [
          [{ raw: withNul, headers: { 'content-type': 'text/csv' } }, /^line 2 of the CSV contains a NUL character/],
          [{ body: { csv: withNul } }, /^body\.csv contains a NUL character/],
        ] as const) {
          const refused = await s.api('POST', '/api/v1/incidents/import/lapor', { token: admin, ...sent });
          assert.equal(refused.status, 400, JSON.stringify(refused.body));
          assert.equal(refused.body.error.code, 'VALIDATION_FAILED');
          assert.match(refused.body.error.message, where);
        }
        const blank = await s.api('POST', '/api/v1/incidents/import/lapor', { token: admin, raw: ' \n\r\n', headers: { 'content-type': 'text/csv' } });
        assert.equal(blank.body.error.code, 'CSV_INVALID');
        assert.equal((await api('GET', '/api/v1/incidents?source=lapor', admin)).body.items.length, 4, 'nothing of the refused files was stored');
      });

      it('exports in LAPOR! fields (admin only), and the export reads back', async () => {
        const lapor = ((await api('GET', '/api/v1/incidents?source=lapor', admin)).body.items as any[]).find((i) => i.laporId === 'LAPOR-1001');
        await api('POST', `/api/v1/incidents/${lapor.id}/assign`, admin, {});
        await api('POST', `/api/v1/incidents/${lapor.id}/updates`, admin, { text: '=HYPERLINK("x") ditangani', public: true });
        assert.equal((await s.api('GET', '/api/v1/incidents/export/lapor', { token: viewer })).status, 403);
        const res = await fetch(`${s.url}/api/v1/incidents/export/lapor?ids=${lapor.id}`, { headers: { authorization: `Bearer ${admin}` } });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
        assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
        const text = await res.text();
        const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
        assert.equal(lines[0], 'tracking_id,judul,isi,kategori,lokasi,latitude,longitude,tanggal,status,instansi,tindak_lanjut,tanggal_tindak_lanjut,nomor_tiket_daerah');
        assert.equal(lines.length, 2);
        assert.match(lines[1]!, /^LAPOR-1001,Jalan rusak,"Jalan berlubang, dalam ""sekali""",Jalan \/ jembatan rusak,Desa Lubuk Kupang,-3.21,102.9,2027-02-01 08:30:00,Belum Ditindaklanjuti,Dinas PUPR,"'=HYPERLINK/);
        assert.doesNotMatch(text, /Andi|andi@/, 'no personal data in the handover file');
        // read back into another region's shape: the same tracking id is recognised
        const back = await s.api('POST', '/api/v1/incidents/import/lapor', { token: admin, raw: text, headers: { 'content-type': 'text/csv' } });
        assert.equal(back.body.skipped, 1);
        assert.equal(back.body.created, 0);
        const all = await fetch(`${s.url}/api/v1/incidents/export/lapor?status=new,assigned`, { headers: { authorization: `Bearer ${admin}` } });
        ok((await all.text()).split('\r\n').length > 3);
      });
    });

    describe('public views and docs', () => {
      it('lists public incidents without personal data', async () => {
        const list = await svc().listPublic(await regionId(), { statuses: ['open'], limit: 500 });
        ok(list.length > 5);
        ok(list.every((i) => i.publicStatus === 'open'));
        assert.doesNotMatch(JSON.stringify(list), /Siti|0812345|siti@|Andi|kontraktor/);
        const one = await svc().listPublic(await regionId(), { tickets: [list[0]!.ticket], limit: 10 });
        assert.equal(one.length, 1);
        assert.equal(one[0]!.agency !== undefined, true);
      });

      it('documents every incident route with the incidents tag and a summary', async () => {
        const doc = (await s.api('GET', '/api/docs/json')).body;
        const routes = Object.entries(doc.paths as Record<string, Record<string, any>>).filter(([path]) => /\/(incidents|incident-categories)/.test(path));
        ok(routes.length >= 11);
        for (const [path, ops] of routes) {
          for (const [method, op] of Object.entries(ops)) {
            assert.deepEqual(op.tags, ['incidents'], `${method} ${path}`);
            ok(op.summary, `${method} ${path} has a summary`);
          }
        }
      });

      it('words the per-category deadlines without a fixed number of days, in the API document and on the pages', async () => {
        const paths = (await s.api('GET', '/api/docs/json')).body.paths;
        const doc = JSON.stringify([paths['/api/v1/public/tickets/{ticket}'], paths['/api/v1/public/tickets/{ticket}/reply']]);
        ok(doc.includes('auto_closed') && doc.includes('reopen'), 'both routes are documented');
        assert.doesNotMatch(doc, /\d+[- ]working[- ]days?/i);
        // The pages word the automatic close of any category: no day count in it.
        const { readFileSync } = await import('node:fs');
        for (const [file, key] of [['web/src/public/lapor.ts', 'upAutoClosed'], ['web/src/views/incidents-common.ts', 'k_auto_closed']] as const) {
          const line = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').split('\n').find((l) => l.trimStart().startsWith(`${key}:`));
          ok(line, `${key} in ${file}`);
          assert.doesNotMatch(line!, /\d+ (hari kerja|working days)/, `${key} in ${file}`);
        }
      });
    });

    describe('the reporter answers on the ticket page', () => {
      const reply = async (ticket: string, secret: string, text: string, reopen = false) => svc().replyAsReporter(await regionId(), ticket, secret, { text, reopen });
      /** The error code a call fails with ('none' when it does not fail). */
      const failsWith = async (call: Promise<unknown>) => {
        try {
          await call;
        } catch (error) {
          return (error as { code?: string }).code;
        }
        return 'none';
      };
      const resolvedReport = async () => {
        const filed = await report('roads');
        await api('POST', `/api/v1/incidents/${filed.incident.id}/assign`, opPupr, {});
        await api('POST', `/api/v1/incidents/${filed.incident.id}/status`, opPupr, { status: 'in_progress' });
        const resolved = await api('POST', `/api/v1/incidents/${filed.incident.id}/status`, opPupr, { status: 'resolved' });
        assert.equal(resolved.body.status, 'resolved');
        return filed;
      };

      it('adds a public line without an actor, kept as data, shown on the ticket and marked in the inbox until someone acts', async () => {
        clock.set(wib(2027, 2, 8)); // Monday
        const { incident, eraseSecret } = await report('roads');
        const adm = await openStream(s.url, admin);
        try {
          adm.send({ type: 'subscribe', id: 'i', topic: 'incidents' });
          await adm.next((m) => m.type === 'subscribed');
          clock.advance(HOUR);
          const view = await reply(incident.ticket, eraseSecret, '  Lubangnya makin besar <b>sejak hujan</b>\n  ');
          assert.equal(view.ticket, incident.ticket);
          assert.equal(view.status, 'new');
          assert.equal(view.updatedAt, clock.now());
          assert.deepEqual(view.updates.at(-1), { at: clock.now(), kind: 'reporter_reply', text: 'Lubangnya makin besar <b>sejak hujan</b>', status: null, ticket: null });
          const pushed = await adm.next((m) => m.type === 'incident' && m.event === 'updated' && m.incident.id === incident.id);
          assert.equal(pushed.incident.reporterRepliedAt, clock.now());
        } finally {
          adm.close();
        }
        const detail = await api('GET', `/api/v1/incidents/${incident.id}`, opPupr);
        const last = (detail.body.timeline as any[]).at(-1);
        assert.deepEqual([last.kind, last.actor, last.public, last.text], ['reporter_reply', null, true, 'Lubangnya makin besar <b>sejak hujan</b>']);
        const inbox = await api('GET', `/api/v1/incidents?q=${incident.ticket}`, opPupr);
        assert.equal(inbox.body.items[0].reporterRepliedAt, clock.now());
        assert.equal(inbox.body.items[0].reporterRepliedAt, inbox.body.items[0].updatedAt, 'nothing happened since: the inbox marks it');
        clock.advance(HOUR);
        const assigned = await api('POST', `/api/v1/incidents/${incident.id}/assign`, opPupr, {});
        ok(assigned.body.updatedAt > assigned.body.reporterRepliedAt, 'acted on: no longer marked');
        assert.equal((await api('GET', `/api/v1/incidents/${(await report('roads')).incident.id}`, admin)).body.reporterRepliedAt, null);
      });

      it('on a resolved report, "fixed" closes it at once: the answer and a status line without an actor, in one go', async () => {
        clock.set(wib(2027, 2, 8));
        const { incident, eraseSecret } = await resolvedReport();
        clock.set(wib(2027, 2, 11)); // Thursday
        const adm = await openStream(s.url, admin);
        try {
          adm.send({ type: 'subscribe', id: 'i', topic: 'incidents' });
          await adm.next((m) => m.type === 'subscribed');
          const view = await reply(incident.ticket, eraseSecret, 'Sudah diperbaiki, terima kasih');
          assert.equal(view.status, 'closed');
          assert.deepEqual(view.updates.slice(-2).map((u) => [u.kind, u.status, u.text]), [['reporter_reply', null, 'Sudah diperbaiki, terima kasih'], ['status', 'closed', null]]);
          // The updates of resolvedReport may still be on their way to the stream (a busy PostgreSQL): the closing one is awaited by its status.
          const pushed = await adm.next((m) => m.type === 'incident' && m.event === 'updated' && m.incident.id === incident.id && m.incident.status === 'closed');
          assert.equal(pushed.incident.closedAt, wib(2027, 2, 11));
        } finally {
          adm.close();
        }
        const after = await api('GET', `/api/v1/incidents/${incident.id}`, admin);
        assert.equal(after.body.status, 'closed');
        assert.equal(after.body.closedAt, wib(2027, 2, 11));
        assert.equal(after.body.sla.stage, null);
        assert.equal(after.body.sla.dueAt, null);
        const [answer, status] = (after.body.timeline as any[]).slice(-2);
        assert.deepEqual([answer.kind, answer.actor, answer.at], ['reporter_reply', null, wib(2027, 2, 11)]);
        assert.deepEqual([status.kind, status.actor, status.public, status.from, status.to, status.at], ['status', null, true, 'resolved', 'closed', wib(2027, 2, 11)]);
        assert.equal(await failsWith(reply(incident.ticket, eraseSecret, 'Terima kasih lagi')), 'INCIDENT_TRANSITION_INVALID', 'closed: no more answers');
        // On a report that is not resolved, the same answer is just an answer.
        const open = await report('roads');
        await api('POST', `/api/v1/incidents/${open.incident.id}/assign`, opPupr, {});
        assert.equal((await reply(open.incident.ticket, open.eraseSecret, 'Sudah beres?')).status, 'assigned');
      });

      it('on a resolved report, "not fixed" puts it back in progress with a new follow-up stage, which the next public answer ends', async () => {
        clock.set(wib(2027, 3, 1)); // Monday
        const { incident, eraseSecret } = await resolvedReport();
        clock.advance(2 * HOUR);
        const view = await reply(incident.ticket, eraseSecret, 'Belum beres, air masih menggenang', true);
        assert.equal(view.status, 'in_progress');
        assert.equal(view.publicStatus, 'open');
        assert.deepEqual(view.updates.slice(-2).map((u) => [u.kind, u.status]), [['reporter_reply', null], ['status', 'in_progress']]);
        const reopened = await api('GET', `/api/v1/incidents/${incident.id}`, opPupr);
        assert.equal(reopened.body.status, 'in_progress');
        assert.equal(reopened.body.resolvedAt, null);
        assert.equal(reopened.body.sla.stage, 'follow_up');
        assert.equal(reopened.body.sla.dueAt, addWorkingDays(clock.now(), 5));
        const [answer, status] = (reopened.body.timeline as any[]).slice(-2);
        assert.deepEqual([answer.kind, answer.text], ['reporter_reply', 'Belum beres, air masih menggenang']);
        assert.deepEqual([status.kind, status.actor, status.public, status.from, status.to], ['status', null, true, 'resolved', 'in_progress']);
        // "not fixed" on a report that is open already is an answer like any other
        assert.equal((await reply(incident.ticket, eraseSecret, 'Foto terbaru menyusul', true)).status, 'in_progress');
        await api('POST', `/api/v1/incidents/${incident.id}/updates`, opPupr, { text: 'Tim kembali ke lokasi besok', public: true });
        assert.equal((await api('GET', `/api/v1/incidents/${incident.id}`, admin)).body.sla.stage, 'resolve', 'followed up: the work has its target');
        assert.equal((await api('POST', `/api/v1/incidents/${incident.id}/status`, opPupr, { status: 'resolved' })).body.sla.stage, 'close');
      });

      it('refuses a wrong or spent code (403), an unknown ticket (404), an empty answer (400), and closed, rejected or merged reports (409)', async () => {
        clock.set(wib(2027, 3, 2));
        const { incident, eraseSecret } = await report('roads');
        const other = await report('roads');
        assert.equal(await failsWith(reply(incident.ticket, 'wrong-code', 'Halo')), 'REPORTER_SECRET_INVALID');
        assert.equal(await failsWith(reply(incident.ticket, other.eraseSecret, 'Halo')), 'REPORTER_SECRET_INVALID');
        assert.equal(await failsWith(reply('MR-999999', eraseSecret, 'Halo')), 'INCIDENT_NOT_FOUND');
        assert.equal(await failsWith(reply(incident.ticket, eraseSecret, '   ')), 'VALIDATION_FAILED');
        assert.equal(await failsWith(reply(incident.ticket, eraseSecret, 'x'.repeat(2001))), 'VALIDATION_FAILED');
        assert.equal(await failsWith(reply(incident.ticket, eraseSecret, 'a\u0000b')), 'VALIDATION_FAILED');
        assert.equal(await failsWith(reply(incident.ticket, eraseSecret, 'x'.repeat(2000))), 'none');

        // An anonymous report has a code too.
        const anonymous = await report('roads', { reporter: {} });
        assert.equal((await reply(anonymous.incident.ticket, anonymous.eraseSecret, 'Saya pelapor tanpa nama')).ticket, anonymous.incident.ticket);
        // Erasing the personal data spends the code.
        assert.equal(await svc().eraseReporterBySecret(await regionId(), other.incident.ticket, other.eraseSecret), true);
        assert.equal(await failsWith(reply(other.incident.ticket, other.eraseSecret, 'Halo')), 'REPORTER_SECRET_INVALID');

        const rejected = await report('roads');
        await api('POST', `/api/v1/incidents/${rejected.incident.id}/status`, opPupr, { status: 'rejected', reason: 'Bukan jalan kabupaten' });
        assert.equal(await failsWith(reply(rejected.incident.ticket, rejected.eraseSecret, 'Kenapa ditolak?')), 'INCIDENT_TRANSITION_INVALID');
        const closed = await resolvedReport();
        await api('POST', `/api/v1/incidents/${closed.incident.id}/status`, opPupr, { status: 'closed' });
        assert.equal(await failsWith(reply(closed.incident.ticket, closed.eraseSecret, 'Rusak lagi', true)), 'INCIDENT_TRANSITION_INVALID');
        await assert.rejects(reply(closed.incident.ticket, closed.eraseSecret, 'Rusak lagi'), /new report/);

        const dup = await report('roads');
        assert.equal((await api('POST', `/api/v1/incidents/${dup.incident.id}/merge`, admin, { intoId: incident.id })).status, 200);
        assert.equal(await failsWith(reply(dup.incident.ticket, dup.eraseSecret, 'Masih rusak')), 'INCIDENT_TRANSITION_INVALID');
        await assert.rejects(reply(dup.incident.ticket, dup.eraseSecret, 'Masih rusak'), new RegExp(`merged into ${incident.ticket}`));
        const timeline = (await api('GET', `/api/v1/incidents/${dup.incident.id}`, admin)).body.timeline as any[];
        assert.equal(timeline.some((e) => e.kind === 'reporter_reply'), false, 'nothing half-written');
      });
    });

    describe('the kecamatan of an incident', () => {
      const square = (west: number, south: number, size = 0.1) => ({ type: 'Polygon', coordinates: [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]] });
      /** Muara Beliti by its code; Tugumulyo by its name only, as many shapefiles carry it. */
      const layer = (belitiCode = '16.05.09') => ({
        name: { id: 'Batas kecamatan', en: 'Kecamatan boundaries' },
        approximate: true,
        geojson: {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { code: belitiCode }, geometry: square(103.0, -3.3) },
            { type: 'Feature', properties: { WADMKC: 'TUGUMULYO' }, geometry: square(102.9, -3.3) },
          ],
        },
      });
      const at = (lon: number, lat: number) => report('waste', { lon, lat });
      let from = 0;

      it('is null while the region has no kecamatan layer', async () => {
        clock.set(clock.now() + 1);
        from = clock.now();
        assert.equal((await api('GET', '/api/v1/region/layers', admin)).body.some((l: any) => l.key === 'kecamatan'), false);
        assert.equal((await at(103.05, -3.25)).incident.districtCode, null);
      });

      it("comes from the polygon holding the report, whether the feature has the kecamatan's code or its name; outside all, null", async () => {
        assert.equal((await api('PUT', '/api/v1/region/layers/kecamatan', admin, layer())).status, 204);
        assert.equal((await at(103.05, -3.25)).incident.districtCode, '16.05.09');
        assert.equal((await at(103.02, -3.21)).incident.districtCode, '16.05.09');
        assert.equal((await at(102.95, -3.25)).incident.districtCode, '16.05.01');
        assert.equal((await at(103.5, -3.5)).incident.districtCode, null, 'outside every polygon');
        assert.equal((await report('waste', { lon: null, lat: null })).incident.districtCode, null, 'no location');
        // An operator's entry and an alarm's take the same way; a kecamatan given is kept.
        const entry = await api('POST', '/api/v1/incidents', opPupr, { categoryCode: 'roads', description: 'Jalan amblas', lon: 102.95, lat: -3.25 });
        assert.equal(entry.body.districtCode, '16.05.01');
        const given = await api('POST', '/api/v1/incidents', opPupr, { categoryCode: 'roads', description: 'Jalan amblas', lon: 102.95, lat: -3.25, districtCode: '16.05.03' });
        assert.equal(given.body.districtCode, '16.05.03');
      });

      it('filters the inbox by kecamatan', async () => {
        const res = await api('GET', '/api/v1/incidents?districtCode=16.05.09&limit=100', admin);
        assert.equal(res.status, 200);
        assert.equal(res.body.items.length, 2);
        ok(res.body.items.every((i: any) => i.districtCode === '16.05.09'));
        const paged = await api('GET', '/api/v1/incidents?districtCode=16.05.09&limit=1', admin);
        const next = await api('GET', `/api/v1/incidents?districtCode=16.05.09&limit=1&cursor=${paged.body.nextCursor}`, admin);
        assert.notEqual(paged.body.items[0].id, next.body.items[0].id);
        assert.equal((await api('GET', '/api/v1/incidents?districtCode=16.05.99', admin)).body.items.length, 0);
      });

      it('counts the SLA overview per kecamatan, with its name, past-due ones first', async () => {
        const res = await api('GET', `/api/v1/incidents/sla-summary?from=${from}&to=${clock.now() + DAY}`, viewer);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const rows = res.body.byDistrict as any[];
        const beliti = rows.find((r) => r.districtCode === '16.05.09');
        assert.equal(beliti.districtName, 'Muara Beliti');
        assert.equal(beliti.open, 2);
        assert.equal(beliti.open, beliti.green + beliti.yellow + beliti.red);
        const tugumulyo = rows.find((r) => r.districtCode === '16.05.01');
        assert.equal(tugumulyo.districtName, 'Tugumulyo');
        assert.equal(tugumulyo.open, 2);
        assert.equal(rows.find((r) => r.districtCode === '16.05.03').open, 1);
        const none = rows.find((r) => r.districtCode === null);
        assert.equal(none.districtName, null);
        assert.equal(none.open, 3, 'before the layer, outside it, without a location');
        assert.equal(rows.reduce((n, r) => n + r.open, 0), res.body.total.open);
        // Three days later the routing time is over: the red ones lead.
        clock.set(clock.now() + 5 * DAY);
        await api('POST', `/api/v1/incidents/${(await at(102.95, -3.25)).incident.id}/assign`, admin, {});
        const later = (await api('GET', `/api/v1/incidents/sla-summary?from=${from}&to=${clock.now() + DAY}`, viewer)).body.byDistrict as any[];
        ok(later.every((r, i) => i === 0 || later[i - 1].red >= r.red), JSON.stringify(later.map((r) => [r.districtCode, r.red])));
      });

      it('uses a replaced layer at once, and one replaced by another instance by its time', async () => {
        assert.equal((await api('PUT', '/api/v1/region/layers/kecamatan', admin, layer('16.05.03'))).status, 204);
        assert.equal((await at(103.05, -3.25)).incident.districtCode, '16.05.03');
        // Another instance writes the layer: only its updated_at tells this one.
        const db = s.app.services.database.db;
        const row = await db.selectFrom('region_layers').selectAll().where('key', '=', 'kecamatan').executeTakeFirstOrThrow();
        const moved = JSON.parse(row.geojson);
        moved.features[0].properties.code = '16.05.12';
        await db.updateTable('region_layers').set({ geojson: JSON.stringify(moved), updated_at: Number(row.updated_at) + 1 }).where('key', '=', 'kecamatan').execute();
        assert.equal((await at(103.05, -3.25)).incident.districtCode, '16.05.12');
        assert.equal((await api('DELETE', '/api/v1/region/layers/kecamatan', admin)).status, 204);
        assert.equal((await at(103.05, -3.25)).incident.districtCode, null, 'no layer, no kecamatan, no error');
      });
    });
  });
}
