/**
 * Open311 GeoReport v2 against the spec, field by field, every bad input of
 * issue 5, personal data absent from every public answer, keys and limits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { dialects, startServer, startServerOn, type TestServer } from './helpers.ts';

const PERSONAL = { first_name: 'Siti', last_name: 'Rahmawati-Unik', email: 'siti.unik@contoh.id', phone: '+6281299887766', device_id: 'device-rahasia-77', account_id: 'akun-rahasia-88' };
const IN_REGION = { lat: '-3.35', long: '103.10' };
const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 'single'`;

type Fields = Record<string, string | string[]>;

function form(fields: Fields): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one);
  return p.toString();
}

for (const dialect of await dialects()) {
  describe(`Open311 GeoReport v2 (${dialect.name})`, () => {
    let server: TestServer;
    let admin: string;
    let key: string;
    let keyId: string;

    const get = async (path: string) => {
      const res = await fetch(server.url + path);
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    };
    const post = async (fields: Fields, path = '/open311/v2/requests.json') => {
      const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) });
      const text = await res.text();
      return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    };
    const good = (extra: Fields = {}): Fields => ({ api_key: key, service_code: 'waste', description: 'Sampah menumpuk di depan pasar', ...IN_REGION, ...extra });
    const assertSpecError = (res: { status: number; body: any; type: string }, status: number, pattern?: RegExp) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.type, /application\/json/);
      assert.ok(Array.isArray(res.body) && res.body.length === 1, JSON.stringify(res.body));
      assert.equal(res.body[0].code, status);
      assert.equal(typeof res.body[0].description, 'string');
      if (pattern) assert.match(res.body[0].description, pattern);
    };

    before(async () => {
      server = await startServer(dialect, { reportRateLimit: 10_000, reportKeyRateLimit: 10_000 });
      admin = await server.login();
      const created = await server.api('POST', '/api/v1/open311/keys', { token: admin, body: { name: 'FixMyStreet Musi Rawas' } });
      assert.equal(created.status, 201);
      key = created.body.key;
      keyId = created.body.id;
      // This file tests the Open311 dialect: its categories publish at once (moderation: test/events.test.ts).
      for (const c of (await server.api('GET', '/api/v1/incident-categories', { token: admin })).body as { code: string }[]) {
        assert.equal((await server.api('PATCH', `/api/v1/incident-categories/${c.code}`, { token: admin, body: { autoPublish: true } })).status, 200);
      }
    });
    after(() => server.close());

    test('discovery: changeset, contact, key_service, endpoints with formats; .json, no suffix and .xml', async () => {
      for (const path of ['/open311/v2/discovery.json', '/open311/v2/discovery']) {
        const res = await get(path);
        assert.equal(res.status, 200);
        assert.match(res.type, /application\/json/);
        assert.match(res.body.changeset, /^\d{4}-\d{2}-\d{2}T/);
        assert.equal(typeof res.body.contact, 'string');
        assert.equal(typeof res.body.key_service, 'string');
        const [endpoint] = res.body.endpoints;
        assert.equal(endpoint.specification, 'http://wiki.open311.org/GeoReport_v2');
        assert.equal(endpoint.url, `${server.url}/open311/v2`);
        assert.equal(endpoint.type, 'production');
        assert.deepEqual(endpoint.formats.sort(), ['application/json', 'text/xml']);
      }
      const xml = await get('/open311/v2/discovery.xml');
      assert.match(xml.type, /text\/xml/);
      const parsed = new XMLParser().parse(xml.text);
      assert.equal(parsed.discovery.endpoints.endpoint.specification, 'http://wiki.open311.org/GeoReport_v2');
    });

    test('services: the seeded categories with every field of the spec', async () => {
      const res = await get('/open311/v2/services.json');
      assert.equal(res.status, 200);
      const codes = res.body.map((s: any) => s.service_code);
      for (const c of ['roads', 'flooding', 'street_lights', 'waste', 'fallen_trees', 'forest_fires', 'clean_water', 'public_facilities', 'health_services']) assert.ok(codes.includes(c), c);
      const roads = res.body.find((s: any) => s.service_code === 'roads');
      assert.deepEqual(Object.keys(roads).sort(), ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'].sort());
      assert.equal(roads.service_name, 'Jalan / jembatan rusak');
      assert.equal(roads.metadata, true);
      assert.equal(roads.type, 'realtime');
      assert.match(roads.keywords, /jalan,jembatan/);
      assert.equal(res.body.find((s: any) => s.service_code === 'waste').metadata, false);
      const en = await get('/open311/v2/services.json?lang=en');
      assert.equal(en.body.find((s: any) => s.service_code === 'roads').service_name, 'Damaged road or bridge');
      const same = await get('/open311/v2/services?jurisdiction_id=16.05');
      assert.deepEqual(same.body, res.body);
      assertSpecError(await get('/open311/v2/services.json?jurisdiction_id=99.99'), 404, /jurisdiction/);
      const xml = new XMLParser().parse((await get('/open311/v2/services.xml')).text);
      assert.ok(xml.services.service.some((s: any) => s.service_code === 'roads'));
    });

    test('service definition: attributes with variable, code, datatype, required, datatype_description, order, description, values', async () => {
      const res = await get('/open311/v2/services/roads.json');
      assert.equal(res.status, 200);
      assert.equal(res.body.service_code, 'roads');
      const [a] = res.body.attributes;
      assert.equal(a.variable, true);
      assert.equal(a.code, 'passable');
      assert.equal(a.datatype, 'singlevaluelist');
      assert.equal(a.required, true);
      assert.equal(typeof a.datatype_description, 'string');
      assert.equal(a.order, 1);
      assert.equal(typeof a.description, 'string');
      assert.deepEqual(a.values.map((v: any) => v.key), ['yes', 'partly', 'no']);
      assert.equal(typeof a.values[0].name, 'string');
      assert.deepEqual((await get('/open311/v2/services/roads')).body, res.body);
      const xml = new XMLParser().parse((await get('/open311/v2/services/roads.xml')).text);
      assert.equal(xml.service_definition.attributes.attribute.code, 'passable');
      assertSpecError(await get('/open311/v2/services/no_such_service.json'), 404);
    });

    test('POST requests form-encoded, then GET it back field by field; personal data nowhere public', async () => {
      const res = await post(good({ service_code: 'roads', 'attribute[passable]': 'partly', ...PERSONAL, address_string: 'Jl. Lintas Sumatera km 12, Muara Beliti' }));
      assert.equal(res.status, 201, res.text);
      assert.match(res.type, /application\/json/);
      const [created] = res.body;
      assert.match(created.service_request_id, /^[A-Z]+-\d+$/);
      assert.equal(typeof created.service_notice, 'string');
      assert.ok(created.service_notice.includes(created.service_request_id));
      assert.equal(created.account_id, null);
      assert.equal(typeof created.token, 'string');
      assert.equal(typeof created.erase_secret, 'string');

      const one = await get(`/open311/v2/requests/${created.service_request_id}.json`);
      assert.equal(one.status, 200);
      const [r] = one.body;
      assert.deepEqual(Object.keys(r).sort(), [
        'address', 'address_id', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime',
        'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime', 'zipcode',
      ].sort());
      assert.equal(r.service_request_id, created.service_request_id);
      assert.equal(r.status, 'open');
      assert.equal(r.service_code, 'roads');
      assert.equal(r.service_name, 'Jalan / jembatan rusak');
      assert.equal(r.description, 'Sampah menumpuk di depan pasar');
      assert.equal(r.lat, -3.35);
      assert.equal(r.long, 103.1);
      assert.equal(r.address, 'Jl. Lintas Sumatera km 12, Muara Beliti');
      assert.match(r.requested_datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(r.updated_datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(r.expected_datetime === null || /Z$/.test(r.expected_datetime));
      assert.equal(r.media_url, null);

      // The same through the list, with and without suffix, by id list, by token, and as XML.
      // With service_request_id the other parameters are ignored (the spec).
      const listed = await get(`/open311/v2/requests?service_request_id=${created.service_request_id},NOPE-1&status=closed&service_code=waste`);
      assert.deepEqual(listed.body, one.body);
      const token = await get(`/open311/v2/tokens/${created.token}.json`);
      assert.deepEqual(token.body, [{ service_request_id: created.service_request_id, token: created.token }]);
      const xml = await get(`/open311/v2/requests/${created.service_request_id}.xml`);
      assert.match(xml.type, /text\/xml/);
      assert.equal(new XMLParser().parse(xml.text).service_requests.request.service_request_id, created.service_request_id);

      // The operator sees the reporter; no public answer does.
      const ticketPage = await get(`/api/v1/public/tickets/${created.service_request_id}`);
      assert.equal(ticketPage.status, 200);
      const publics = [one.text, listed.text, xml.text, (await get('/open311/v2/requests.json')).text, (await get('/open311/v2/requests.xml')).text, token.text, res.text, ticketPage.text];
      for (const text of publics) for (const value of Object.values(PERSONAL)) assert.ok(!text.includes(value), `${value} leaked`);
    });

    test('POST: JSON and multivaluelist attribute[code][]; the public page key works too', async () => {
      const publicConfig = await server.api('GET', '/api/v1/public/config');
      assert.equal(publicConfig.status, 200);
      const res = await fetch(`${server.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ api_key: publicConfig.body.publicApiKey, service_code: 'flooding', description: 'Banjir', lat: -3.3, long: 103.2, attribute: { water_depth_cm: 40 } }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      const [created] = (await res.json()) as any[];
      assert.match(created.service_request_id, /-\d+$/);
      // multivaluelist needs a category that has one: an admin adds it.
      const cat = await server.api('POST', '/api/v1/incident-categories', {
        token: admin,
        body: {
          code: 'noise', nameId: 'Kebisingan', nameEn: 'Noise', descriptionId: 'Suara bising', descriptionEn: 'Noise', group: 'lingkungan', defaultSeverity: 'low', keywords: [],
          attributes: [{ code: 'when', datatype: 'multivaluelist', required: true, descriptionId: 'Kapan', descriptionEn: 'When', values: [{ key: 'day', name: 'Siang' }, { key: 'night', name: 'Malam' }] }],
        },
      });
      assert.ok(cat.status === 201 || cat.status === 200, JSON.stringify(cat.body));
      const ok = await post(good({ service_code: 'noise', 'attribute[when][]': ['day', 'night'] }));
      assert.equal(ok.status, 201, ok.text);
      assertSpecError(await post(good({ service_code: 'noise', 'attribute[when][]': ['day', 'dawn'] })), 400, /dawn/);
      assertSpecError(await post(good({ service_code: 'noise' })), 400, /attribute\[when\]/);
    });

    test('bad input, each in the spec error form', async () => {
      assertSpecError(await post({ service_code: 'waste', description: 'x', ...IN_REGION }), 403, /api_key is required/);
      assertSpecError(await post(good({ api_key: 'o311_not-a-key' })), 403, /api_key/);
      assertSpecError(await post(good({ service_code: 'no_such' })), 400, /service_code/);
      assertSpecError(await post(good({ service_code: '' })), 400, /service_code/);
      assertSpecError(await post(good({ lat: '-91', long: '103.1' })), 400, /lat/);
      assertSpecError(await post(good({ lat: '-3.3', long: '181' })), 400, /long/);
      assertSpecError(await post(good({ lat: 'abc', long: '103.1' })), 400, /lat must be a number/);
      assertSpecError(await post(good({ lat: '-3.3', long: '0x10' })), 400, /long must be a number/);
      assertSpecError(await post(good({ lat: '-3.3', long: '' })), 400, /together/);
      assertSpecError(await post({ api_key: key, service_code: 'waste', description: 'x' }), 400, /location/);
      // Jakarta: a real place, outside Musi Rawas.
      assertSpecError(await post(good({ lat: '-6.2', long: '106.8' })), 400, /outside/);
      assertSpecError(await post(good({ description: '' })), 400, /description/);
      assertSpecError(await post(good({ description: '   \n ' })), 400, /description/);
      assertSpecError(await post(good({ service_code: 'roads' })), 400, /attribute\[passable\] is required/);
      assertSpecError(await post(good({ service_code: 'roads', 'attribute[passable]': 'maybe' })), 400, /passable/);
      assertSpecError(await post(good({ service_code: 'flooding', 'attribute[water_depth_cm]': 'deep' })), 400, /number/);
      assertSpecError(await post(good({ media_url: 'javascript:alert(1)' })), 400, /media_url/);
      assertSpecError(await post(good({ email: 'not an email' })), 400, /email/);
      assertSpecError(await post(good({ photo_id: '00000000-0000-4000-8000-000000000000' })), 400, /photo_id/);
      assertSpecError(await post(good({ lat: 'NaN', long: '103.1' })), 400, /lat must be a number/);
      assertSpecError(await post(good({ lat: '-3.3', long: 'Infinity' })), 400, /long must be a number/);
      assertSpecError(await post(good({ jurisdiction_id: '31.71' })), 404, /jurisdiction_id/);
      assertSpecError(await post(good({ description: 'a\u0000b' })), 400, /NUL/);
      assertSpecError(await post(good({ description: 'x'.repeat(4001) })), 400, /4000/);
      assert.equal((await post(good())).status, 201);
      assert.equal((await post(good({ jurisdiction_id: '16.05' }))).status, 201);
      // Location by address alone (no coordinates), or by an address_id of another system.
      const byAddress = await post({ api_key: key, service_code: 'waste', description: 'Sampah', address_string: 'Pasar Muara Beliti' });
      assert.equal(byAddress.status, 201, byAddress.text);
      const [r] = (await get(`/open311/v2/requests/${byAddress.body[0].service_request_id}.json`)).body;
      assert.equal(r.address, 'Pasar Muara Beliti');
      assert.equal(r.lat, null);
      assert.equal(r.long, null);
      assert.equal((await post({ api_key: key, service_code: 'waste', description: 'Sampah', address_id: 'OSM-12345' })).status, 201);
    });

    test('POST without a description (optional in GeoReport v2): a photo or an answered attribute says enough; nothing at all is refused', async () => {
      const { description: _, ...noText } = good();
      // Nothing to act on: refused, and the answer names what would do.
      assertSpecError(await post(noText), 400, /description, a photo \(media, media_url or photo_id\) or an answered attribute/);
      // A photo (media_url) is something to act on.
      const withPhoto = await post({ ...noText, media_url: 'https://contoh.id/foto/sampah.jpg' });
      assert.equal(withPhoto.status, 201, withPhoto.text);
      const [photoReport] = (await get(`/open311/v2/requests/${withPhoto.body[0].service_request_id}.json`)).body;
      assert.equal(photoReport.description, 'Lihat foto.');
      assert.equal(photoReport.media_url, 'https://contoh.id/foto/sampah.jpg');
      // An answered attribute, in the request's language.
      const withAnswer = await fetch(`${server.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        body: form({ ...noText, service_code: 'roads', 'attribute[passable]': 'no' }),
      });
      assert.equal(withAnswer.status, 201);
      const ticket = ((await withAnswer.json()) as { service_request_id: string }[])[0]!.service_request_id;
      const [answerReport] = (await get(`/open311/v2/requests/${ticket}.json`)).body;
      assert.match(answerReport.description, /: /);
      assert.doesNotMatch(answerReport.description, /Lihat foto/);
    });

    test('POST keeps address_id, alone or beside address_string', async () => {
      const both = await post({ api_key: key, service_code: 'waste', description: 'Sampah', address_string: 'Pasar Muara Beliti', address_id: 'OSM-12345' });
      assert.equal(both.status, 201, both.text);
      const [r] = (await get(`/open311/v2/requests/${both.body[0].service_request_id}.json`)).body;
      assert.equal(r.address, 'Pasar Muara Beliti (address_id: OSM-12345)');
      const alone = await post({ api_key: key, service_code: 'waste', description: 'Sampah', address_id: 'OSM-777' });
      assert.equal(alone.status, 201, alone.text);
      const [a] = (await get(`/open311/v2/requests/${alone.body[0].service_request_id}.json`)).body;
      assert.equal(a.address, 'address_id: OSM-777');
      assertSpecError(await post({ api_key: key, service_code: 'waste', description: 'Sampah', address_string: 'x'.repeat(480), address_id: 'y'.repeat(40) }), 400, /address_string and address_id together/);
    });

    test('POST requests.xml answers in XML, errors too; any origin may call the API', async () => {
      const res = await post(good(), '/open311/v2/requests.xml');
      assert.equal(res.status, 201);
      assert.match(res.type, /text\/xml/);
      assert.match(res.text, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
      const parsed = new XMLParser().parse(res.text);
      assert.match(parsed.service_requests.request.service_request_id, /-\d+$/);
      const bad = await post(good({ api_key: '' }), '/open311/v2/requests.xml');
      assert.equal(bad.status, 403);
      assert.equal(new XMLParser().parse(bad.text).errors.error.code, 403);
      const cors = await fetch(`${server.url}/open311/v2/services.json`);
      assert.equal(cors.headers.get('access-control-allow-origin'), '*');
    });

    test('nothing is half-written: a refused report leaves no request behind', async () => {
      const before = (await get('/open311/v2/requests.json')).body.length;
      await post(good({ service_code: 'roads' }));
      await post(good({ lat: '-6.2', long: '106.8' }));
      assert.equal((await get('/open311/v2/requests.json')).body.length, before);
    });

    test('a service_request_id or token that does not exist is a 404 in the spec form, JSON and XML', async () => {
      assertSpecError(await get('/open311/v2/requests/MR-999999.json'), 404, /MR-999999/);
      assertSpecError(await get('/open311/v2/requests/MR-999999'), 404);
      assertSpecError(await get('/open311/v2/tokens/nope.json'), 404);
      const xml = await get('/open311/v2/requests/MR-999999.xml');
      assert.equal(xml.status, 404);
      assert.equal(new XMLParser().parse(xml.text).errors.error.code, 404);
      assertSpecError(await get('/open311/v2/nothing-here.json'), 404);
    });

    test('HTML and script in every text field are stored as data and returned as the same text, as JSON', async () => {
      const res = await post(good({ description: HOSTILE, address_string: HOSTILE, first_name: HOSTILE, last_name: HOSTILE, 'attribute[x]': HOSTILE }));
      assert.equal(res.status, 201, res.text);
      const id = res.body[0].service_request_id;
      const one = await get(`/open311/v2/requests/${id}.json`);
      assert.match(one.type, /^application\/json/);
      assert.equal(one.body[0].description, HOSTILE);
      assert.equal(one.body[0].address, HOSTILE);
      const xml = await get(`/open311/v2/requests/${id}.xml`);
      assert.ok(!xml.text.includes('<script>'), 'XML escapes the markup');
      assert.equal(new XMLParser({ processEntities: true, htmlEntities: true }).parse(xml.text).service_requests.request.description, HOSTILE);
      const operator = await server.api('GET', `/api/v1/incidents?q=${encodeURIComponent('quotes')}`, { token: admin });
      assert.equal(operator.status, 200);
      const incident = operator.body.items.find((i: any) => i.ticket === id);
      assert.equal(incident.description, HOSTILE);
      assert.equal(incident.address, HOSTILE);
      const detail = await server.api('GET', `/api/v1/incidents/${incident.id}`, { token: admin });
      assert.equal(detail.body.reporter?.name, `${HOSTILE} ${HOSTILE}`);
    });

    test('GET requests: filters by service_code, status, dates (ISO 8601) and the 90-day default', async () => {
      const a = (await post(good({ service_code: 'street_lights', description: 'Lampu mati' }))).body[0].service_request_id;
      const all = await get('/open311/v2/requests.json?service_code=street_lights');
      assert.ok(all.body.length >= 1);
      assert.ok(all.body.every((r: any) => r.service_code === 'street_lights'));
      assert.ok(all.body.some((r: any) => r.service_request_id === a));
      assert.ok((await get('/open311/v2/requests.json?status=open')).body.some((r: any) => r.service_request_id === a));
      assert.ok(!(await get('/open311/v2/requests.json?status=closed')).body.some((r: any) => r.service_request_id === a));
      const now = Date.now();
      const inRange = await get(`/open311/v2/requests.json?start_date=${new Date(now - 3_600_000).toISOString()}&end_date=${new Date(now + 3_600_000).toISOString()}`);
      assert.ok(inRange.body.some((r: any) => r.service_request_id === a));
      const old = await get('/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00+07:00');
      assert.deepEqual(old.body, []);
      assertSpecError(await get('/open311/v2/requests.json?start_date=yesterday'), 400, /start_date/);
      assertSpecError(await get('/open311/v2/requests.json?status=pending'), 400, /status/);
      assertSpecError(await get('/open311/v2/requests.json?start_date=2026-02-01&end_date=2026-01-01'), 400);
    });

    test('our statuses map to open and closed', async () => {
      const id = (await post(good())).body[0].service_request_id;
      const list = await server.api('GET', '/api/v1/incidents?limit=1000', { token: admin });
      const incident = list.body.items.find((i: any) => i.ticket === id);
      assert.ok(incident, 'the report is an incident');
      assert.equal((await server.api('POST', `/api/v1/incidents/${incident.id}/status`, { token: admin, body: { status: 'rejected', reason: 'Laporan ganda' } })).status, 200);
      assert.equal((await get(`/open311/v2/requests/${id}.json`)).body[0].status, 'closed');
    });

    test('revoked key is refused; keys listed without the key; only admins manage keys', async () => {
      const other = await server.api('POST', '/api/v1/open311/keys', { token: admin, body: { name: 'Aplikasi lain' } });
      const list = await server.api('GET', '/api/v1/open311/keys', { token: admin });
      assert.equal(list.status, 200);
      assert.ok(list.body.some((k: any) => k.id === keyId && k.kind === 'app'));
      assert.ok(list.body.some((k: any) => k.kind === 'public'));
      assert.ok(!JSON.stringify(list.body).includes(other.body.key));
      assert.equal((await post(good({ api_key: other.body.key }))).status, 201);
      assert.equal((await server.api('DELETE', `/api/v1/open311/keys/${other.body.id}`, { token: admin })).status, 204);
      assertSpecError(await post(good({ api_key: other.body.key })), 403, /revoked/);
      assert.equal((await server.api('DELETE', '/api/v1/open311/keys/00000000-0000-4000-8000-000000000000', { token: admin })).status, 404);
      assert.equal((await server.api('GET', '/api/v1/open311/keys')).status, 401);
      assert.equal((await server.api('POST', '/api/v1/open311/keys', { token: admin, body: { name: '' } })).status, 400);
    });

    test('public config: region, its own key, tiles, centre and bounds', async () => {
      const res = await server.api('GET', '/api/v1/public/config');
      assert.equal(res.status, 200);
      assert.equal(res.body.regionCode, '16.05');
      assert.match(res.body.regionName, /Musi Rawas/i);
      assert.match(res.body.publicApiKey, /^o311_/);
      assert.equal(res.body.tileUrl, null);
      const [lat, lon] = res.body.center;
      assert.ok(lat < -3 && lat > -3.7 && lon > 102.5 && lon < 103.7);
      assert.deepEqual(res.body.bounds, [[-3.598, 102.483], [-2.753, 103.644]], 'the OpenStreetMap outline of Musi Rawas (geodata/musi-rawas)');
      assert.equal(res.body.basemapUrl, null, 'no offline base map installed');
      assert.equal((await server.api('GET', '/api/v1/public/config')).body.publicApiKey, res.body.publicApiKey);
    });

    test('the reporter erases their data with the secret; a wrong secret or unknown ticket is refused', async () => {
      const res = await post(good(PERSONAL));
      const [{ service_request_id: ticket, erase_secret: secret }] = res.body;
      assert.equal((await server.api('POST', `/api/v1/public/tickets/${ticket}/erase`, { body: { secret: 'wrong' } })).status, 403);
      assert.equal((await server.api('POST', '/api/v1/public/tickets/MR-999999/erase', { body: { secret } })).status, 404);
      assert.equal((await server.api('POST', `/api/v1/public/tickets/${ticket}/erase`, { body: { secret } })).status, 204);
      const list = await server.api('GET', '/api/v1/incidents?limit=1000', { token: admin });
      const incident = list.body.items.find((i: any) => i.ticket === ticket);
      const detail = await server.api('GET', `/api/v1/incidents/${incident.id}`, { token: admin });
      assert.ok(!JSON.stringify(detail.body).includes(PERSONAL.email));
      assert.ok(!JSON.stringify(detail.body).includes(PERSONAL.phone));
    });

    test('the reporter answers with their code: the ticket back, errors in the platform form, documented', async () => {
      const res = await post(good({ ...PERSONAL, description: 'Sampah belum diangkut sejak Senin' }));
      const [{ service_request_id: ticket, erase_secret: secret }] = res.body;
      const answer = (body: unknown, t = ticket) => server.api('POST', `/api/v1/public/tickets/${t}/reply`, { body });
      const answered = await answer({ secret, text: `  ${HOSTILE}  ` });
      assert.equal(answered.status, 200, JSON.stringify(answered.body));
      assert.equal(answered.body.ticket, ticket);
      assert.equal(answered.body.status, 'new');
      assert.ok(answered.body.updates.some((u: any) => u.text === HOSTILE), 'kept as data, trimmed');
      for (const value of Object.values(PERSONAL)) assert.ok(!JSON.stringify(answered.body).includes(value), `${value} leaked`);
      const page = await get(`/api/v1/public/tickets/${ticket}`);
      assert.deepEqual(page.body.updates.at(-1), { at: page.body.updatedAt, kind: 'reporter_reply', text: HOSTILE, status: null, ticket: null });
      // status_notes are the agency's words, never the reporter's answer.
      const notes = async () => (await get(`/open311/v2/requests/${ticket}.json`)).body[0].status_notes;
      assert.equal(await notes(), null);
      const incident = (await server.api('GET', `/api/v1/incidents?limit=5&q=${ticket}`, { token: admin })).body.items[0];
      await server.api('POST', `/api/v1/incidents/${incident.id}/updates`, { token: admin, body: { text: 'Truk sampah dijadwalkan Kamis', public: true } });
      assert.equal((await answer({ secret, text: 'Terima kasih, saya tunggu' })).status, 200);
      assert.equal(await notes(), 'Truk sampah dijadwalkan Kamis');

      for (const [body, status, code] of [
        [{ secret: 'wrong', text: 'Halo' }, 403, 'REPORTER_SECRET_INVALID'],
        [{ secret, text: '' }, 400, 'VALIDATION_FAILED'],
        [{ secret, text: '   ' }, 400, 'VALIDATION_FAILED'],
        [{ secret, text: 'x'.repeat(2001) }, 400, 'VALIDATION_FAILED'],
        [{ secret }, 400, 'VALIDATION_FAILED'],
        [{ secret, text: 'Halo', reopen: 'ya' }, 400, 'VALIDATION_FAILED'],
      ] as const) {
        const r = await answer(body);
        assert.equal(r.status, status, JSON.stringify([body, r.body]).slice(0, 300));
        assert.equal(r.body.error.code, code);
        assert.equal(typeof r.body.error.message, 'string');
      }
      const unknown = await answer({ secret, text: 'Halo' }, 'MR-999999');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'INCIDENT_NOT_FOUND');
      // Erasing the personal data spends the code.
      assert.equal((await server.api('POST', `/api/v1/public/tickets/${ticket}/erase`, { body: { secret } })).status, 204);
      const spent = await answer({ secret, text: 'Halo lagi' });
      assert.equal(spent.status, 403);
      assert.equal(spent.body.error.code, 'REPORTER_SECRET_INVALID');

      const doc = (await get('/api/docs/json')).body;
      const op = doc.paths['/api/v1/public/tickets/{ticket}/reply'].post;
      assert.deepEqual(op.tags, ['public']);
      for (const status of ['200', '400', '403', '404', '409', '429']) assert.ok(op.responses[status], `documents ${status}`);
    });

    test('the ticket page: exactly the public fields, public updates but no internal note or personal data; 404 and 400 in the error form', async () => {
      const res = await post(good({ ...PERSONAL, description: 'Sampah menumpuk di tikungan pasar' }));
      assert.equal(res.status, 201, res.text);
      const [{ service_request_id: ticket }] = res.body;
      const incidentOf = async (t: string) => (await server.api('GET', `/api/v1/incidents?limit=1000&q=${t}`, { token: admin })).body.items.find((i: any) => i.ticket === t);
      const incident = await incidentOf(ticket);
      const note = 'Catatan internal: kontraktor CV Rahasia';
      assert.equal((await server.api('POST', `/api/v1/incidents/${incident.id}/updates`, { token: admin, body: { text: note, public: false } })).status, 201);
      assert.equal((await server.api('POST', `/api/v1/incidents/${incident.id}/updates`, { token: admin, body: { text: 'Petugas DLH dijadwalkan besok', public: true } })).status, 201);

      const page = await get(`/api/v1/public/tickets/${ticket}`);
      assert.equal(page.status, 200, page.text);
      assert.match(page.type, /application\/json/);
      assert.deepEqual(Object.keys(page.body).sort(), [
        'address', 'agency', 'categoryCode', 'categoryNameEn', 'categoryNameId', 'description', 'expectedAt', 'expectedStage', 'lat', 'lon', 'mediaUrl',
        'mergedIntoTicket', 'publicStatus', 'published', 'requestedAt', 'status', 'ticket', 'title', 'updatedAt', 'updates',
      ].sort());
      assert.equal(page.body.ticket, ticket);
      assert.equal(page.body.categoryCode, 'waste');
      assert.equal(page.body.description, 'Sampah menumpuk di tikungan pasar');
      assert.equal(page.body.status, 'new');
      assert.equal(page.body.publicStatus, 'open');
      assert.equal(page.body.lat, -3.35);
      assert.equal(page.body.lon, 103.1);
      assert.equal(page.body.mergedIntoTicket, null);
      assert.equal(typeof page.body.requestedAt, 'number');
      assert.ok(page.body.updates.some((u: any) => u.text === 'Petugas DLH dijadwalkan besok'));
      for (const u of page.body.updates) assert.deepEqual(Object.keys(u).sort(), ['at', 'kind', 'status', 'text', 'ticket']);
      assert.deepEqual(page.body.updates.map((u: any) => [u.kind, u.status]), [['created', 'new'], ['update', null]]);
      for (const value of [...Object.values(PERSONAL), note]) assert.ok(!page.text.includes(value), `${value} leaked`);
      for (const field of ['reporter', 'name', 'phone', 'email', 'id', 'regionId', 'opdId', 'assigneeName', 'timeline']) assert.ok(!(field in page.body), `${field} in the answer`);

      // A report merged into another answers as itself, closed, and says which ticket it now follows.
      const dup = await post(good({ description: 'Sampah menumpuk lagi di tikungan pasar' }));
      const dupTicket = dup.body[0].service_request_id;
      assert.equal((await server.api('POST', `/api/v1/incidents/${(await incidentOf(dupTicket)).id}/merge`, { token: admin, body: { intoId: incident.id } })).status, 200);
      const merged = await get(`/api/v1/public/tickets/${dupTicket}`);
      assert.equal(merged.status, 200, merged.text);
      assert.equal(merged.body.ticket, dupTicket);
      assert.equal(merged.body.status, 'closed');
      assert.equal(merged.body.description, 'Sampah menumpuk lagi di tikungan pasar');
      assert.equal(merged.body.mergedIntoTicket, ticket);
      assert.deepEqual(merged.body.updates.map((u: any) => [u.kind, u.ticket]), [['created', null], ['duplicate_of', ticket], ['status', null]]);
      const answered = await server.api('POST', `/api/v1/public/tickets/${dupTicket}/reply`, { body: { secret: dup.body[0].erase_secret, text: 'Masih menumpuk' } });
      assert.equal(answered.status, 409);
      assert.equal(answered.body.error.code, 'INCIDENT_TRANSITION_INVALID');
      assert.match(answered.body.error.message, new RegExp(`merged into ${ticket}`));

      const missing = await get('/api/v1/public/tickets/MR-999999');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'INCIDENT_NOT_FOUND');
      assert.equal(typeof missing.body.error.message, 'string');
      const tooLong = await get(`/api/v1/public/tickets/${'X'.repeat(65)}`);
      assert.equal(tooLong.status, 400);
      assert.equal(tooLong.body.error.code, 'VALIDATION_FAILED');

      // In the OpenAPI document with its tag and the answer's schema.
      const doc = (await get('/api/docs/json')).body;
      const op = doc.paths['/api/v1/public/tickets/{ticket}'].get;
      assert.deepEqual(op.tags, ['public']);
      assert.match(op.summary, /ticket number/);
      assert.ok(op.responses['200'].content['application/json'].schema.properties.mergedIntoTicket);
      assert.ok(op.responses['404']);
    });

    test('a merged report: GET requests/{id} and GET requests?service_request_id= agree field by field, in JSON and XML, in both languages', async () => {
      const target = await post(good({ service_code: 'roads', 'attribute[passable]': 'no', description: 'Jembatan kayu patah di Desa Lubuk Rumbai', lat: '-3.30', long: '103.05' }));
      const dup = await post(good({ service_code: 'roads', 'attribute[passable]': 'no', ...PERSONAL, description: 'Jembatan patah, anak sekolah memutar jauh', lat: '-3.3004', long: '103.0502', address_string: 'Dekat masjid' }));
      const [targetTicket, dupTicket] = [target.body[0].service_request_id, dup.body[0].service_request_id];
      const idOf = async (t: string) => (await server.api('GET', `/api/v1/incidents?limit=5&q=${t}`, { token: admin })).body.items.find((i: any) => i.ticket === t).id;
      const targetId = await idOf(targetTicket);
      assert.equal((await server.api('POST', `/api/v1/incidents/${await idOf(dupTicket)}/merge`, { token: admin, body: { intoId: targetId } })).status, 200);
      // The target moves on: the merged report must not take its status, text or place.
      await server.api('POST', `/api/v1/incidents/${targetId}/assign`, { token: admin, body: {} });
      await server.api('POST', `/api/v1/incidents/${targetId}/updates`, { token: admin, body: { text: 'Tim PUPR memasang jembatan darurat', public: true } });

      for (const lang of ['id', 'en'] as const) {
        const one = await get(`/open311/v2/requests/${dupTicket}.json?lang=${lang}`);
        const listed = await get(`/open311/v2/requests.json?service_request_id=${dupTicket}&lang=${lang}`);
        assert.equal(one.status, 200, one.text);
        assert.equal(listed.status, 200, listed.text);
        const [a] = one.body;
        const [b] = listed.body;
        assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
        for (const field of Object.keys(a)) assert.deepEqual(a[field], b[field], `${field} (${lang})`);
        assert.equal(a.service_request_id, dupTicket);
        assert.equal(a.status, 'closed');
        assert.equal(a.description, 'Jembatan patah, anak sekolah memutar jauh');
        assert.equal(a.address, 'Dekat masjid');
        assert.equal(a.lat, -3.3004);
        assert.equal(a.long, 103.0502);
        assert.equal(a.expected_datetime, null);
        assert.equal(a.status_notes, lang === 'id' ? `Laporan ini duplikat dari ${targetTicket} dan digabung ke sana; pantau tiket itu.` : `This report is a duplicate of ${targetTicket} and was merged into it; follow that ticket.`);
        for (const value of Object.values(PERSONAL)) assert.ok(!one.text.includes(value) && !listed.text.includes(value), `${value} leaked`);
        const xmlOne = new XMLParser().parse((await get(`/open311/v2/requests/${dupTicket}.xml?lang=${lang}`)).text);
        const xmlListed = new XMLParser().parse((await get(`/open311/v2/requests.xml?service_request_id=${dupTicket}&lang=${lang}`)).text);
        assert.deepEqual(xmlOne, xmlListed);
      }
      // The target answers as itself, with the agency's words as its notes.
      const [t] = (await get(`/open311/v2/requests/${targetTicket}.json`)).body;
      assert.equal(t.status, 'open');
      assert.equal(t.status_notes, 'Tim PUPR memasang jembatan darurat');
      assert.equal(t.description, 'Jembatan kayu patah di Desa Lubuk Rumbai');
    });

    test('an automatically closed report says so in status_notes, in the asked language, before the agency\'s last words', async () => {
      const [{ service_request_id: ticket }] = (await post(good({ description: 'Lampu jalan mati di simpang pasar' }))).body;
      const id = (await server.api('GET', `/api/v1/incidents?limit=5&q=${ticket}`, { token: admin })).body.items[0].id;
      const opd = await server.api('POST', '/api/v1/opds', { token: admin, body: { code: 'DISHUB', name: 'Dinas Perhubungan' } });
      assert.equal((await server.api('POST', `/api/v1/incidents/${id}/assign`, { token: admin, body: { opdId: opd.body.id } })).status, 200);
      await server.api('POST', `/api/v1/incidents/${id}/updates`, { token: admin, body: { text: 'Lampu sudah diganti', public: true } });
      for (const status of ['in_progress', 'resolved']) assert.equal((await server.api('POST', `/api/v1/incidents/${id}/status`, { token: admin, body: { status } })).status, 200);
      const notes = async (lang: string) => (await get(`/open311/v2/requests/${ticket}.json?lang=${lang}`)).body[0];
      assert.equal((await notes('en')).status_notes, 'Lampu sudah diganti', 'resolved: the agency\'s words alone');
      // The reporter stays silent past the close time: the job closes it.
      await server.app.services.database.db.updateTable('incidents').set({ sla_due_at: Date.now() - 1000 }).where('id', '=', id).execute();
      assert.ok((await server.app.services.incidents.tick()) >= 1);
      const id_ = await notes('id');
      assert.equal(id_.status, 'closed');
      assert.equal(id_.status_notes, 'Ditutup otomatis: pelapor tidak menanggapi dalam batas waktu setelah laporan selesai ditangani. Tanggapan terakhir petugas: Lampu sudah diganti');
      assert.equal((await notes('en')).status_notes, "Closed automatically: the reporter did not answer within the time allowed after it was resolved. The agency's last answer: Lampu sudah diganti");
    });

    test('a location outside the kecamatan polygons is refused when the region has them', async () => {
      // A single small kecamatan square: a point inside the extent but outside it is refused.
      const square = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '16.05.01' }, geometry: { type: 'Polygon', coordinates: [[[103.0, -3.4], [103.2, -3.4], [103.2, -3.2], [103.0, -3.2], [103.0, -3.4]]] } }] };
      const put = await server.api('PUT', '/api/v1/region/layers/kecamatan', { token: admin, body: { name: { id: 'Kecamatan', en: 'Kecamatan' }, approximate: true, geojson: square } });
      assert.ok(put.status === 200 || put.status === 204, JSON.stringify(put.body));
      server.app.services.reports.bounds.clear();
      assert.equal((await post(good({ lat: '-3.3', long: '103.1' }))).status, 201);
      assertSpecError(await post(good({ lat: '-3.6', long: '103.6' })), 400, /outside/);
      const config = await server.api('GET', '/api/v1/public/config');
      assert.deepEqual(config.body.bounds, [[-3.4, 103.0], [-3.2, 103.2]]);
    });
  });

  test(`the public page's key is made once and kept across a restart (${dialect.name})`, async () => {
    const storage = await dialect.storage();
    const first = await startServerOn(storage, {}, {}, true);
    const key = (await first.api('GET', '/api/v1/public/config')).body.publicApiKey;
    await first.close();
    const second = await startServerOn(storage);
    try {
      assert.equal((await second.api('GET', '/api/v1/public/config')).body.publicApiKey, key);
      const admin = await second.login();
      const keys = (await second.api('GET', '/api/v1/open311/keys', { token: admin })).body;
      assert.equal(keys.filter((k: any) => k.kind === 'public').length, 1);
    } finally {
      await second.close();
    }
  });

  describe(`Open311 rate limits behind a reverse proxy (${dialect.name})`, () => {
    const file = (url: string, forwardedFor: string) =>
      fetch(`${url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor }, body: form({ api_key: 'none', service_code: 'waste', description: 'x', ...IN_REGION }) });

    test('with the proxy in TRUST_PROXY each citizen behind it has their own count; a client not listed cannot forge X-Forwarded-For', async () => {
      // the test's client connects from 127.0.0.1: listed, it is the proxy; not listed, a direct client
      for (const [trustProxy, separate] of [['127.0.0.1', true], ['10.9.9.9', false], [undefined, false]] as const) {
        const server = await startServer(dialect, { reportRateLimit: 2, ...(trustProxy !== undefined && { trustProxy }) });
        try {
          // a wrong key is refused (403), but the request still counts against the address
          assert.equal((await file(server.url, '203.0.113.7')).status, 403);
          assert.equal((await file(server.url, '203.0.113.7')).status, 403);
          assert.equal((await file(server.url, '203.0.113.7')).status, 429, 'the third from one citizen');
          const other = await file(server.url, '198.51.100.23');
          assert.equal(other.status, separate ? 403 : 429, separate ? 'another citizen behind the proxy is not limited' : `a forged header does not escape the limit (TRUST_PROXY=${trustProxy ?? 'unset'})`);
          const discovery = (await (await fetch(`${server.url}/open311/v2/discovery.json`, { headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } })).json()) as any;
          assert.equal(discovery.endpoints[0].url.includes('evil.example'), separate, 'only a listed proxy may name the host');
        } finally {
          await server.close();
        }
      }
    });
  });

  describe(`Open311 rate limits (${dialect.name})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(dialect, { reportRateLimit: 3, reportKeyRateLimit: 2 });
    });
    after(() => server.close());

    test('per API key and per address, 429 in the spec form with Retry-After', async () => {
      const admin = await server.login();
      const key = (await server.api('POST', '/api/v1/open311/keys', { token: admin, body: { name: 'app' } })).body.key;
      const send = (api_key: string) =>
        fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ api_key, service_code: 'waste', description: 'x', ...IN_REGION }) });
      assert.equal((await send(key)).status, 201);
      assert.equal((await send(key)).status, 201);
      const third = await send(key);
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) > 0);
      const body = (await third.json()) as any;
      assert.equal(body[0].code, 429);
      // The address has one request left (3 a minute), then it is refused whatever the key.
      const publicKey = (await server.api('GET', '/api/v1/public/config')).body.publicApiKey;
      const fourth = await send(publicKey);
      assert.equal(fourth.status, 429);
      const photo = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#fff' } }).jpeg().toBuffer();
      const fd = new FormData();
      fd.append('photo', new Blob([photo], { type: 'image/jpeg' }), 'a.jpg');
      const up = await fetch(`${server.url}/api/v1/photos`, { method: 'POST', body: fd });
      assert.equal(up.status, 429);
      assert.equal(((await up.json()) as any).error.code, "RATE_LIMITED");
      // The reporter's answers count against the address too.
      const answer = await server.api('POST', '/api/v1/public/tickets/MR-000001/reply', { body: { secret: 'x', text: 'Halo' } });
      assert.equal(answer.status, 429);
      assert.equal(answer.body.error.code, 'RATE_LIMITED');
    });
  });
}
