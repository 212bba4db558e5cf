import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { authErrors, IdParams } from '../../core/http-schemas.ts';
import { fileBytes } from '../../platform/http/multipart.ts';
import type { ParserPool } from '../../platform/files/index.ts';
import type { AssetsService } from '../assets/index.ts';
import { principalOf, requireUser, type IdentityService } from '../identity/index.ts';
import { checkDeviceCsv, DEVICE_CSV_COLUMNS, MAX_DEVICE_IMPORT_BYTES, MAX_DEVICE_IMPORT_ROWS, tokensCsv } from './devices.import.ts';
import type { DevicesService } from './devices.service.ts';
import { DeviceProfile, ImportPreview, ProfileBody, ProfileWithSecret, ProvisionResponse } from './profiles.contract.ts';
import type { ProfilesService } from './profiles.service.ts';
import type { ProvisioningService } from './provisioning.ts';

export interface ProfilesRoutesOptions {
  profiles: ProfilesService;
  devices: DevicesService;
  assets: AssetsService;
  identity: IdentityService;
  parsers: ParserPool;
}

/** /api/v1/device-profiles (admins write, everyone signed in reads) and the device CSV import. */
export const profilesRoutes: FastifyPluginAsyncTypebox<ProfilesRoutesOptions> = async (app, { profiles, devices, assets, identity, parsers }) => {
  const user = requireUser(identity);
  const tags = ['device profiles'];
  const conflict = { 409: Type.Ref('Error') };

  app.get('/device-profiles', { preHandler: user, schema: { tags, summary: 'Profiles of the device types of the region', response: { 200: Type.Array(DeviceProfile), ...authErrors } } }, async (request) =>
    profiles.list(principalOf(request)),
  );
  app.post(
    '/device-profiles',
    {
      preHandler: user,
      schema: { tags, summary: 'Create the profile of a device type (admins); with provisioning:true the answer holds the provisioning secret, shown once', body: ProfileBody, response: { 201: ProfileWithSecret, ...authErrors, ...conflict } },
    },
    async (request, reply) => reply.code(201).send(await profiles.create(principalOf(request), request.body)),
  );
  app.get('/device-profiles/:id', { preHandler: user, schema: { tags, params: IdParams, response: { 200: DeviceProfile, ...authErrors } } }, async (request) =>
    profiles.get(principalOf(request), request.params.id),
  );
  app.put(
    '/device-profiles/:id',
    {
      preHandler: user,
      schema: {
        tags,
        summary: 'Replace a profile (admins); provisioning:true issues a new key and secret (the old pair stops working), false turns provisioning off',
        params: IdParams,
        body: ProfileBody,
        response: { 200: ProfileWithSecret, ...authErrors, ...conflict },
      },
    },
    async (request) => profiles.update(principalOf(request), request.params.id, request.body),
  );
  app.delete('/device-profiles/:id', { preHandler: user, schema: { tags, summary: 'Delete a profile (admins); its devices keep their type', params: IdParams, response: { 204: Type.Null(), ...authErrors } } }, async (request, reply) => {
    await profiles.delete(principalOf(request), request.params.id);
    return reply.code(204).send(null);
  });

  await app.register(async (upload) => {
    await upload.register(fastifyMultipart, { limits: { fileSize: MAX_DEVICE_IMPORT_BYTES, files: 1, fields: 5, parts: 6 } });
    upload.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'buffer', bodyLimit: MAX_DEVICE_IMPORT_BYTES }, (_request, body, done) => done(null, body));
    upload.withTypeProvider<TypeBoxTypeProvider>().post(
      '/devices/import',
      {
        preHandler: user,
        schema: {
          tags: ['devices'],
          summary: `Import devices from CSV (columns ${DEVICE_CSV_COLUMNS.join(',')}; at most ${MAX_DEVICE_IMPORT_ROWS} lines): multipart field "file" or a text/csv body. dryRun=true answers the preview; otherwise the answer is a CSV of the created devices with their access tokens, given this once. A bad line creates nothing.`,
          consumes: ['multipart/form-data', 'text/csv'],
          querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
          response: {
            200: { description: 'the preview (JSON), or once confirmed the devices with their tokens as CSV', content: { 'application/json': { schema: ImportPreview }, 'text/csv': { schema: Type.String({ description: 'name,type,label,asset_id,opd_id,device_id,access_token' }) } } }, ...authErrors, 413: Type.Ref('Error'), 415: Type.Ref('Error'), 422: Type.Ref('Error') },
        },
      },
      async (request, reply) => {
        const p = principalOf(request);
        const checked = await checkDeviceCsv({ devices, assets, identity, parsers }, p, await csvBytes(request));
        if (request.query.dryRun === true) return checked.preview;
        if (checked.preview.errors.length > 0) {
          const first = checked.preview.errors[0]!;
          throw new AppError('DEVICE_IMPORT_INVALID', `${checked.preview.errors.length} line(s) cannot be imported, nothing was created; line ${first.line}: ${first.message}`, { errors: checked.preview.errors.slice(0, 1000) });
        }
        const created = await devices.createMany(p, checked.devices);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="device-tokens-${new Date().toISOString().slice(0, 10)}.csv"`)
          .header('cache-control', 'no-store')
          .send(tokensCsv(created));
      },
    );
  });
};

/** The CSV of an import: a multipart file (field "file") or the body itself; the size cap answers 413. */
async function csvBytes(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) {
    if (Buffer.isBuffer(request.body)) return request.body;
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the CSV as multipart/form-data (field "file") or as text/csv');
  }
  const part = await request.file();
  if (!part || part.fieldname !== 'file') {
    part?.file.resume();
    throw new AppError('VALIDATION_FAILED', 'send the CSV in the multipart field "file"');
  }
  return fileBytes(part, () => new AppError('UPLOAD_TOO_LARGE', `the file is larger than ${MAX_DEVICE_IMPORT_BYTES / 1024 / 1024} MB`));
}

/**
 * `POST /api/v1/provision`, ThingsBoard's device provisioning over HTTP: no
 * token, the profile's key and secret in the body. Answers 200 with the status
 * as ThingsBoard does (SUCCESS, NOT_FOUND, FAILURE), 429 past the rate limit.
 */
export const provisionRoutes: FastifyPluginAsyncTypebox<{ provisioning: ProvisioningService }> = async (app, { provisioning }) => {
  // Firmware sends JSON, often without a content type: the bytes are parsed by the service, as over MQTT.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 4096 }, (_request, body, done) => done(null, body));
  app.post(
    '/provision',
    {
      schema: {
        tags: ['device API'],
        summary: 'A device provisions itself with its profile\'s provisionDeviceKey and provisionDeviceSecret and gets an access token (ThingsBoard\'s API)',
        security: [],
        body: Type.Unknown({ description: '{"deviceName","provisionDeviceKey","provisionDeviceSecret"}' }),
        response: { 200: ProvisionResponse, 413: Type.Ref('Error'), 429: ProvisionResponse },
      },
    },
    async (request, reply) => {
      const { response, limited } = await provisioning.provision(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), request.ip);
      return reply.code(limited ? 429 : 200).send(response);
    },
  );
};
