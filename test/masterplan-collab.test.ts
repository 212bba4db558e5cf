/**
 * Collaboration on the master plan: the council and the team, the review flow
 * with OPD scoping, comments, FGD sessions, commitment sheets with their scans,
 * and the activity log — on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { dialects, startServer, type TestServer } from './helpers.ts';
import { makeOpd, makePrograms, makeUser, multipart, reviewStatus, TINY_PDF } from './masterplan-docs-helpers.ts';

const MP = '/api/v1/masterplan';

for (const dialect of await dialects()) {
  describe(`master plan collaboration (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    let dinkes: string;
    let dishub: string;
    let opA: { id: string; token: string }; // operator of DINKES
    let opB: { id: string; token: string }; // operator of DISHUB
    let bappeda: { id: string; token: string }; // operator of BAPPEDA: a reviewer
    let viewer: { id: string; token: string }; // plain viewer
    let council: { id: string; token: string }; // viewer on the Dewan Smart City
    let team: { id: string; token: string }; // operator of DISHUB on the Tim Pelaksana
    let programA: string;
    let programB: string;

    before(async () => {
      server = await startServer(dialect);
      admin = await server.login();
      dinkes = await makeOpd(server, admin, 'DINKES', 'Dinas Kesehatan');
      dishub = await makeOpd(server, admin, 'DISHUB', 'Dinas Perhubungan');
      const bappedaOpd = await makeOpd(server, admin, 'BAPPEDA', 'Badan Perencanaan Pembangunan Daerah');
      opA = await makeUser(server, admin, 'op.dinkes@musirawas.go.id', 'operator', dinkes);
      opB = await makeUser(server, admin, 'op.dishub@musirawas.go.id', 'operator', dishub);
      bappeda = await makeUser(server, admin, 'perencana@musirawas.go.id', 'operator', bappedaOpd);
      viewer = await makeUser(server, admin, 'tamu@musirawas.go.id', 'viewer', null);
      council = await makeUser(server, admin, 'dewan@musirawas.go.id', 'viewer', null);
      team = await makeUser(server, admin, 'tim@musirawas.go.id', 'operator', dishub);
      [programA, programB] = await makePrograms(server, admin, [
        { opdId: dinkes, code: '1.02.02.2.01.0001', name: 'Penyediaan Layanan Kesehatan Berbasis Aplikasi', budget: 750_000_000, year: 2026 },
        { opdId: dishub, code: '2.15.02.2.01.0003', name: 'Penerangan Jalan Umum Cerdas', budget: 1_250_000_000, year: 2026 },
      ]) as [string, string];
    });
    after(() => server.close());

    test('members: only an admin sets the council and the team; the list shows them with their roles', async () => {
      const refused = await server.api('PUT', `${MP}/members`, { token: opA.token, body: { members: [{ userId: opA.id, role: 'team' }] } });
      assert.equal(refused.status, 403);
      const unknown = await server.api('PUT', `${MP}/members`, { token: admin, body: { members: [{ userId: '00000000-0000-4000-8000-000000000000', role: 'team' }] } });
      assert.equal(unknown.status, 404);
      const badRole = await server.api('PUT', `${MP}/members`, { token: admin, body: { members: [{ userId: team.id, role: 'boss' }] } });
      assert.equal(badRole.status, 400);
      const set = await server.api('PUT', `${MP}/members`, { token: admin, body: { members: [{ userId: council.id, role: 'council' }, { userId: team.id, role: 'team' }] } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const list = await server.api('GET', `${MP}/members`, { token: viewer.token });
      assert.deepEqual(list.body.map((m: any) => [m.role, m.name, m.email, m.userRole, m.opdId]), [
        ['council', 'dewan', 'dewan@musirawas.go.id', 'viewer', null],
        ['team', 'tim', 'tim@musirawas.go.id', 'operator', dishub],
      ], 'by role, then name, with who they are');
      assert.ok(list.body.every((m: any) => typeof m.since === 'number' && m.since > 0));
      const me = await server.api('GET', `${MP}/me`, { token: team.token });
      assert.deepEqual(me.body, { reviewer: true, member: 'team', opdCode: 'DISHUB' });
      assert.equal((await server.api('GET', `${MP}/me`, { token: bappeda.token })).body.reviewer, true);
      assert.equal((await server.api('GET', `${MP}/me`, { token: opA.token })).body.reviewer, false);
    });

    test("review flow: the OPD submits only its own program; an operator cannot approve; a reviewer returns with a reason; the team approves", async () => {
      const other = await server.api('POST', `${MP}/programs/${programB}/submit`, { token: opA.token });
      assert.equal(other.status, 403, 'an operator cannot submit another OPD\'s program');
      assert.equal(other.body.error.code, 'FORBIDDEN');
      assert.equal(await reviewStatus(server, programB), 'draft');

      const early = await server.api('POST', `${MP}/programs/${programA}/approve`, { token: admin });
      assert.equal(early.status, 409, 'a draft cannot be approved');
      assert.equal(early.body.error.code, 'REVIEW_TRANSITION_INVALID');

      const submitted = await server.api('POST', `${MP}/programs/${programA}/submit`, { token: opA.token });
      assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
      assert.equal(submitted.body.reviewStatus, 'submitted');
      assert.equal(await reviewStatus(server, programA), 'submitted');
      assert.equal((await server.api('POST', `${MP}/programs/${programA}/submit`, { token: opA.token })).status, 409, 'submitted twice');

      const selfApprove = await server.api('POST', `${MP}/programs/${programA}/approve`, { token: opA.token });
      assert.equal(selfApprove.status, 403, 'an operator cannot approve');
      assert.equal((await server.api('POST', `${MP}/programs/${programA}/approve`, { token: viewer.token })).status, 403);
      assert.equal((await server.api('POST', `${MP}/programs/${programA}/return`, { token: opB.token, body: { reason: 'tidak' } })).status, 403);
      assert.equal(await reviewStatus(server, programA), 'submitted');

      const noReason = await server.api('POST', `${MP}/programs/${programA}/return`, { token: bappeda.token, body: { reason: '' } });
      assert.equal(noReason.status, 400);
      const returned = await server.api('POST', `${MP}/programs/${programA}/return`, { token: bappeda.token, body: { reason: 'Indikator kinerja belum terukur' } });
      assert.equal(returned.status, 200, JSON.stringify(returned.body));
      assert.equal(returned.body.reviewStatus, 'returned');
      assert.equal(returned.body.reason, 'Indikator kinerja belum terukur');
      assert.equal(await reviewStatus(server, programA), 'returned');
      const comments = await server.api('GET', `${MP}/comments?programId=${programA}`, { token: opA.token });
      assert.ok(comments.body.some((c: any) => c.body.includes('Indikator kinerja belum terukur')), 'the OPD sees the reason');

      assert.equal((await server.api('POST', `${MP}/programs/${programA}/submit`, { token: opA.token })).body.reviewStatus, 'submitted');
      const approved = await server.api('POST', `${MP}/programs/${programA}/approve`, { token: team.token });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(await reviewStatus(server, programA), 'approved');

      const missing = await server.api('POST', `${MP}/programs/00000000-0000-4000-8000-000000000000/submit`, { token: admin });
      assert.equal(missing.status, 404);

      const log = await server.api('GET', `${MP}/activity?entity=program&entityId=${programA}`, { token: viewer.token });
      const review = log.body.items.map((a: any) => a.action).filter((a: string) => /^program\.(submitted|returned|approved)$/.test(a));
      assert.deepEqual(review.reverse(), ['program.submitted', 'program.returned', 'program.submitted', 'program.approved']);
      const returnedEntry = log.body.items.find((a: any) => a.action === 'program.returned');
      assert.equal(returnedEntry.userName, 'perencana');
      assert.equal(returnedEntry.detail.reason, 'Indikator kinerja belum terukur');
      assert.match(returnedEntry.summary, /1\.02\.02\.2\.01\.0001/);
    });

    test("comments: on a program or a section; only the author edits; viewers outside the council only read", async () => {
      const mine = await server.api('POST', `${MP}/comments`, { token: opA.token, body: { programId: programA, body: 'Target 2027 sudah kami perbarui.' } });
      assert.equal(mine.status, 201, JSON.stringify(mine.body));
      assert.equal(mine.body.mine, true);
      const edit = await server.api('PATCH', `${MP}/comments/${mine.body.id}`, { token: opB.token, body: { body: 'diubah orang lain' } });
      assert.equal(edit.status, 403, "an operator cannot edit another's comment");
      const adminEdit = await server.api('PATCH', `${MP}/comments/${mine.body.id}`, { token: admin, body: { body: 'diubah admin' } });
      assert.equal(adminEdit.status, 403, 'not even an admin rewrites what someone said');
      assert.equal((await server.api('DELETE', `${MP}/comments/${mine.body.id}`, { token: opB.token })).status, 403);
      const own = await server.api('PATCH', `${MP}/comments/${mine.body.id}`, { token: opA.token, body: { body: 'Target 2027 sudah diperbarui: 95%.' } });
      assert.equal(own.status, 200);
      assert.equal(own.body.body, 'Target 2027 sudah diperbarui: 95%.');

      assert.equal((await server.api('POST', `${MP}/comments`, { token: viewer.token, body: { section: 'vision', body: 'Setuju' } })).status, 403);
      const councilSays = await server.api('POST', `${MP}/comments`, { token: council.token, body: { section: 'vision', body: 'Visi perlu menyebut layanan publik.' } });
      assert.equal(councilSays.status, 201);
      assert.equal((await server.api('POST', `${MP}/comments`, { token: opA.token, body: { body: 'tanpa sasaran' } })).status, 400);
      assert.equal((await server.api('POST', `${MP}/comments`, { token: opA.token, body: { programId: programA, section: 'vision', body: 'dua sasaran' } })).status, 400);
      assert.equal((await server.api('POST', `${MP}/comments`, { token: opA.token, body: { programId: '00000000-0000-4000-8000-000000000000', body: 'x' } })).status, 404);
      const section = await server.api('GET', `${MP}/comments?section=vision`, { token: viewer.token });
      assert.deepEqual(section.body.map((c: any) => c.body), ['Visi perlu menyebut layanan publik.']);
      assert.equal(section.body[0].mine, false);
    });

    test('FGD / bimtek sessions: rounds 1–4 with participants and decisions; reviewers record them', async () => {
      const body = {
        round: 1,
        date: Date.UTC(2026, 2, 10, 2),
        title: 'Bimtek I: Penyusunan Analisis Kesiapan',
        place: 'Aula Bappeda, Muara Beliti',
        participants: [{ name: 'Dr. Rina', opd: 'BAPPEDA' }, { name: 'Budi', opd: 'DISKOMINFO' }, { name: 'Sari', opd: 'DINKES' }],
        notes: 'Pembahasan kuesioner kesiapan.',
        decisions: ['Tim Pelaksana dibentuk dengan SK Bupati', 'Asesmen selesai April 2026'],
      };
      assert.equal((await server.api('POST', `${MP}/sessions`, { token: opA.token, body })).status, 403);
      assert.equal((await server.api('POST', `${MP}/sessions`, { token: admin, body: { ...body, round: 5 } })).status, 400);
      assert.equal((await server.api('POST', `${MP}/sessions`, { token: admin, body: { ...body, title: '' } })).status, 400);
      const created = await server.api('POST', `${MP}/sessions`, { token: bappeda.token, body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(created.body.participants, body.participants);
      assert.deepEqual(created.body.decisions, body.decisions);
      const second = await server.api('POST', `${MP}/sessions`, { token: admin, body: { ...body, round: 2, title: 'Bimtek II: Analisis Strategis', date: Date.UTC(2026, 4, 12) } });
      assert.equal(second.status, 201);
      const patched = await server.api('PATCH', `${MP}/sessions/${created.body.id}`, { token: team.token, body: { notes: 'Kuesioner disepakati.' } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.notes, 'Kuesioner disepakati.');
      assert.equal(patched.body.title, body.title);
      const list = await server.api('GET', `${MP}/sessions`, { token: viewer.token });
      assert.deepEqual(list.body.map((s: any) => s.round), [1, 2]);
    });

    test('commitment sheets of the Bupati and OPD heads, with a scanned file checked from its bytes', async () => {
      const bupati = await server.api('POST', `${MP}/commitments`, { token: admin, body: { signerName: 'H. Ratna Machmud', position: 'Bupati Musi Rawas', opdId: null, signedAt: Date.UTC(2026, 5, 1), note: 'Komitmen pelaksanaan masterplan' } });
      assert.equal(bupati.status, 201, JSON.stringify(bupati.body));
      assert.equal(bupati.body.opdId, null);
      assert.equal(bupati.body.file, null);
      const head = await server.api('POST', `${MP}/commitments`, { token: bappeda.token, body: { signerName: 'dr. Andi', position: 'Kepala Dinas Kesehatan', opdId: dinkes, signedAt: Date.UTC(2026, 5, 2) } });
      assert.equal(head.status, 201);
      assert.equal(head.body.opdCode, 'DINKES');
      assert.equal((await server.api('POST', `${MP}/commitments`, { token: opA.token, body: { signerName: 'x', position: 'y', signedAt: 0 } })).status, 403);
      assert.equal((await server.api('POST', `${MP}/commitments`, { token: admin, body: { signerName: 'x', position: 'y', opdId: '00000000-0000-4000-8000-000000000000', signedAt: 0 } })).status, 404);

      const png = await sharp({ create: { width: 40, height: 60, channels: 3, background: '#ffffff' } }).png().toBuffer();
      const up = multipart('file', 'scan-bupati.png', png, 'image/png');
      const uploaded = await server.api('POST', `${MP}/commitments/${bupati.body.id}/file`, { token: admin, raw: up.raw, headers: up.headers });
      assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
      assert.equal(uploaded.body.file.contentType, 'image/png');
      const file = await fetch(`${server.url}${MP}/commitments/${bupati.body.id}/file`, { headers: { authorization: `Bearer ${admin}` } });
      assert.equal(file.status, 200);
      assert.equal(file.headers.get('content-type'), 'image/png');
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), png);

      const fake = multipart('file', 'scan.pdf', Buffer.from('<html>bukan pdf</html>'), 'application/pdf');
      const refused = await server.api('POST', `${MP}/commitments/${head.body.id}/file`, { token: admin, raw: fake.raw, headers: fake.headers });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'UPLOAD_INVALID');
      const pdf = multipart('file', 'scan.pdf', TINY_PDF, 'application/pdf');
      assert.equal((await server.api('POST', `${MP}/commitments/${head.body.id}/file`, { token: opA.token, raw: pdf.raw, headers: pdf.headers })).status, 403);
      assert.equal((await server.api('GET', `${MP}/commitments/${head.body.id}/file`, { token: admin })).status, 404, 'no scan yet');
      const list = await server.api('GET', `${MP}/commitments`, { token: viewer.token });
      assert.deepEqual(list.body.map((c: any) => [c.position, c.file?.contentType ?? null]), [['Bupati Musi Rawas', 'image/png'], ['Kepala Dinas Kesehatan', null]]);
    });

    test("MP-CORE's changes reach the activity log through the bus event masterplan.changed", async () => {
      const region = (await server.api('GET', '/api/v1/region', { token: admin })).body.id;
      server.app.services.bus.publish('masterplan.changed' as never, { regionId: region, userId: opA.id, entity: 'program', entityId: programA, action: 'program.updated', summary: 'Program 1.02.02.2.01.0001 diubah: anggaran' } as never);
      let entry: any;
      for (let i = 0; i < 50 && !entry; i++) {
        const log = await server.api('GET', `${MP}/activity?entity=program&entityId=${programA}`, { token: viewer.token });
        entry = log.body.items.find((a: any) => a.summary === 'Program 1.02.02.2.01.0001 diubah: anggaran');
        if (!entry) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(entry, 'recorded');
      assert.equal(entry.userName, 'op.dinkes');
      assert.equal(entry.action, 'program.updated');
    });

    test('the routes are in the OpenAPI document', async () => {
      const doc = await server.api('GET', '/api/docs/json');
      assert.equal(doc.status, 200);
      for (const path of ['/api/v1/masterplan/sessions', '/api/v1/masterplan/comments', '/api/v1/masterplan/programs/{id}/submit', '/api/v1/masterplan/programs/{id}/return', '/api/v1/masterplan/members', '/api/v1/masterplan/commitments', '/api/v1/masterplan/activity', '/api/v1/masterplan/evaluation/{year}', '/api/v1/masterplan/evaluation/{year}/items/{id}/evidence', '/api/v1/masterplan/evaluation/{year}/survey', '/api/v1/masterplan/export.docx', '/api/v1/masterplan/export.pdf']) {
        assert.ok(doc.body.paths[path], `${path} documented`);
      }
      assert.ok(doc.body.paths['/api/v1/masterplan/sessions'].post.summary);
    });

    test('activity log: who, what, when, newest first, paged without overlap', async () => {
      const all: any[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: any } = await server.api('GET', `${MP}/activity?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: viewer.token });
        assert.equal(page.status, 200);
        assert.ok(page.body.items.length <= 3);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.equal(new Set(all.map((a) => a.id)).size, all.length, 'no entry twice');
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].at >= all[i].at, 'newest first');
      const actions = new Set(all.map((a) => a.action));
      for (const a of ['members.set', 'program.submitted', 'program.approved', 'program.returned', 'comment.created', 'comment.updated', 'session.created', 'session.updated', 'commitment.created', 'commitment.file']) assert.ok(actions.has(a), `${a} is logged`);
      const members = all.find((a) => a.action === 'members.set');
      const adminName = (await server.api('GET', '/api/v1/auth/me', { token: admin })).body.name;
      assert.equal(members.userName, adminName, 'who');
      assert.match(members.summary, /Dewan Smart City: 1 anggota, Tim Pelaksana: 1 anggota/, 'what');
      assert.ok(typeof members.at === 'number' && members.at > 0);
      assert.equal((await server.api('GET', `${MP}/activity?cursor=not-a-cursor`, { token: viewer.token })).status, 400);
      assert.equal((await server.api('GET', `${MP}/activity`)).status, 401);
    });

    test('deleting a program deletes its comments and its place and answers in the impact survey (no orphans counted)', async () => {
      const [doomed, kept] = (await makePrograms(server, admin, [
        { opdId: dinkes, code: '1.02.02.2.01.0009', name: 'Program yang dibatalkan', budget: 10_000_000, year: 2026, dimensionKey: 'living', elementKey: 'health' },
        { opdId: dinkes, code: '1.02.02.2.01.0010', name: 'Ambulans Desa Terpadu', budget: 20_000_000, year: 2026, dimensionKey: 'living', elementKey: 'mobility' },
      ])) as [string, string];
      assert.equal((await server.api('POST', `${MP}/comments`, { token: opA.token, body: { programId: doomed, body: 'Dibatalkan tahun ini.' } })).status, 201);
      const chosen = await server.api('PUT', `${MP}/evaluation/2031/survey/programs`, { token: admin, body: { programs: [{ dimensionKey: 'living', elementKey: 'health', programId: doomed }, { dimensionKey: 'living', elementKey: 'mobility', programId: kept }] } });
      assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
      const answered = await server.api('POST', `${MP}/evaluation/2031/survey`, { token: opA.token, body: { answers: [{ programId: doomed, score: 5 }, { programId: kept, score: 2 }] } });
      assert.equal(answered.status, 201, JSON.stringify(answered.body));
      assert.equal((await server.api('GET', `${MP}/evaluation/2031`, { token: admin })).body.survey.answers, 2);

      assert.equal((await server.api('DELETE', `${MP}/programs/${doomed}`, { token: admin })).status, 204);
      assert.deepEqual((await server.api('GET', `${MP}/comments?programId=${doomed}`, { token: admin })).body, []);
      const survey = (await server.api('GET', `${MP}/evaluation/2031`, { token: admin })).body.survey;
      assert.equal(survey.answers, 1, "the deleted program's answer is gone");
      assert.deepEqual(survey.programs.map((p: any) => p.programId), [kept]);
      assert.deepEqual(survey.byDimension.find((d: any) => d.key === 'living').mean, 2);
    });
  });
}
