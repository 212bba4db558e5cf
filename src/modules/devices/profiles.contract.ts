/**
 * The contract of device profiles: one per device type (river gauge, AQ
 * monitor, street light, pump, vehicle tracker). A profile names the keys the
 * type sends (label in Bahasa Indonesia and English, unit, decimals, expected
 * range), the commands it accepts, its offline timeout and its provisioning
 * key. Routes, services and the web app (`import type`) all use these; the
 * one pure function the web app runs, rangeFlag, lives in profiles.constants.ts
 * (re-exported here), so the web app bundles no schema.
 */
import { Type, type Static } from 'typebox';

export * from './profiles.constants.ts';

/** A text shown to people, in both languages. */
export const I18nText = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: 'Bahasa Indonesia' }),
  en: Type.String({ minLength: 1, maxLength: 200, description: 'English' }),
});
export type I18nText = Static<typeof I18nText>;

export const ProfileType = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', description: 'the device type this profile describes, e.g. river_gauge' });

/** A telemetry key as people read it: `waterLevel` → *Tinggi muka air … m*. */
export const ProfileKey = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 255, description: 'the key the device sends' }),
  label: I18nText,
  unit: Type.Union([Type.String({ maxLength: 20 }), Type.Null()], { description: 'shown after the value, e.g. m, µg/m³, %' }),
  decimals: Type.Integer({ minimum: 0, maximum: 6, description: 'decimals shown' }),
  /** a value outside [min, max] is stored and flagged, never refused */
  min: Type.Union([Type.Number(), Type.Null()], { description: 'lowest expected value' }),
  max: Type.Union([Type.Number(), Type.Null()], { description: 'highest expected value' }),
});
export type ProfileKey = Static<typeof ProfileKey>;

/**
 * A command the type accepts, sent as a ThingsBoard RPC `{method, params}`.
 * Fixed `params` make a button (*Nyalakan* = setPower {on:true}); `input` makes
 * a level the operator sets (dimming 0–100 %), sent as the params value itself.
 */
export const ProfileCommand = Type.Object({
  method: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
  label: I18nText,
  params: Type.Optional(Type.Unknown({ description: 'fixed params of a button' })),
  input: Type.Optional(
    Type.Object({
      min: Type.Number(),
      max: Type.Number(),
      step: Type.Number({ exclusiveMinimum: 0 }),
      unit: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
    }),
  ),
  /** one-way: the device is not expected to answer */
  oneway: Type.Boolean({ default: false }),
});
export type ProfileCommand = Static<typeof ProfileCommand>;

export const DeviceProfile = Type.Object({
  id: Type.String({ format: 'uuid' }),
  type: ProfileType,
  name: I18nText,
  keys: Type.Array(ProfileKey, { maxItems: 200 }),
  commands: Type.Array(ProfileCommand, { maxItems: 50 }),
  /** silent longer than this → offline; null: the region's default */
  offlineTimeoutSeconds: Type.Union([Type.Integer({ minimum: 30, maximum: 30 * 86_400 }), Type.Null()]),
  /** ThingsBoard's provisionDeviceKey; null: provisioning is off for this type. The secret is shown once, never again. */
  provisionKey: Type.Union([Type.String(), Type.Null()]),
  /** the OPD devices provisioned with this profile belong to */
  provisionOpdId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});
export type DeviceProfile = Static<typeof DeviceProfile>;

export const ProfileBody = Type.Object({
  type: ProfileType,
  name: I18nText,
  keys: Type.Optional(Type.Array(ProfileKey, { maxItems: 200 })),
  commands: Type.Optional(Type.Array(ProfileCommand, { maxItems: 50 })),
  offlineTimeoutSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 30, maximum: 30 * 86_400 }), Type.Null()])),
  /** true: issue a provisioning key and secret (the answer shows the secret once); false: turn provisioning off */
  provisioning: Type.Optional(Type.Boolean()),
  provisionOpdId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
});
export type ProfileBody = Static<typeof ProfileBody>;

export const ProfileWithSecret = Type.Intersect([DeviceProfile, Type.Object({ provisionSecret: Type.Union([Type.String(), Type.Null()], { description: 'shown once' }) })]);
export type ProfileWithSecret = Static<typeof ProfileWithSecret>;

/** `POST /api/v1/provision` and MQTT `/provision/request`, as ThingsBoard names the fields. */
export const ProvisionRequest = Type.Object({
  deviceName: Type.String({ minLength: 1, maxLength: 200 }),
  provisionDeviceKey: Type.String({ minLength: 1, maxLength: 200 }),
  provisionDeviceSecret: Type.String({ minLength: 1, maxLength: 200 }),
});
export type ProvisionRequest = Static<typeof ProvisionRequest>;

/** ThingsBoard's answer: SUCCESS with the new token, NOT_FOUND (unknown key or wrong secret) or FAILURE (the name exists), each failure with its errorMsg. */
export const ProvisionResponse = Type.Union([
  Type.Object({ status: Type.Literal('SUCCESS'), credentialsType: Type.Literal('ACCESS_TOKEN'), credentialsValue: Type.String() }),
  Type.Object({ status: Type.Union([Type.Literal('NOT_FOUND'), Type.Literal('FAILURE')]), errorMsg: Type.String() }),
]);
export type ProvisionResponse = Static<typeof ProvisionResponse>;

/** One line of a device import as the preview shows it. */
export const ImportLine = Type.Object({
  line: Type.Integer({ description: 'line of the file (1 is the header)' }),
  name: Type.String(),
  type: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  assetId: Type.Union([Type.String(), Type.Null()]),
  opdId: Type.Union([Type.String(), Type.Null()]),
});
export type ImportLine = Static<typeof ImportLine>;

export const ImportPreview = Type.Object({
  rows: Type.Integer(),
  devices: Type.Array(ImportLine),
  errors: Type.Array(
    Type.Object({
      line: Type.Integer(),
      /** every problem of the line, in English, for API clients */
      message: Type.String(),
      /** the same problems for a screen, in Bahasa Indonesia and English */
      problems: Type.Array(Type.Object({ id: Type.String(), en: Type.String() })),
    }),
  ),
});
export type ImportPreview = Static<typeof ImportPreview>;
