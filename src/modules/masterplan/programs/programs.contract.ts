/**
 * The programs' contract: the lines of the planning documents (program, kegiatan,
 * sub kegiatan), their query, create and patch bodies, and the import's preview
 * and result. TypeBox schemas and the types derived from them (typebox only).
 */
import { Type, type Static } from 'typebox';
import { DimensionKey, DocumentKey, HorizonKey, Nullable, Text, Year } from '../plan/plan.contract.ts';

const Suggestion = Type.Object({ dimensionKey: Type.String(), elementKey: Type.String(), score: Type.Number(), words: Type.Array(Type.String()) });
export const Program = Type.Object({
  id: Type.String(), opdId: Nullable(Type.String()), opdCode: Nullable(Type.String()), document: Type.String(), code: Type.String(),
  level: Type.Union([Type.Literal('program'), Type.Literal('kegiatan'), Type.Literal('sub_kegiatan')]), name: Type.String(), indicator: Type.String(),
  target: Type.String(), unit: Type.String(), budget: Type.Number({ description: 'pagu in whole rupiah' }), year: Type.Integer(), location: Type.String(),
  dimensionKey: Nullable(Type.String()), elementKey: Nullable(Type.String()), horizon: Nullable(HorizonKey), roadmapYear: Nullable(Type.Integer()),
  reviewStatus: Type.String(), suggestion: Nullable(Suggestion), createdAt: Type.Number(), updatedAt: Type.Number(),
});
export const ProgramQuery = Type.Object({
  year: Type.Optional(Year), opdId: Type.Optional(Type.String({ maxLength: 100 })),
  dimension: Type.Optional(Type.String({ maxLength: 40, description: 'a dimension key, or "none" for unmapped programs' })),
  document: Type.Optional(DocumentKey), q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })), cursor: Type.Optional(Type.String({ maxLength: 500 })),
});
const ProgramEditable = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })), indicator: Type.Optional(Text(2000)), target: Type.Optional(Text(200)), unit: Type.Optional(Text(100)),
  budget: Type.Optional(Type.Integer({ minimum: 0 })), location: Type.Optional(Text(500)), opdId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  dimensionKey: Type.Optional(Nullable(DimensionKey)), elementKey: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  horizon: Type.Optional(Nullable(HorizonKey)), roadmapYear: Type.Optional(Nullable(Year)),
};
export const ProgramPatch = Type.Object(ProgramEditable, { minProperties: 1 });
export const ProgramCreate = Type.Object({ ...ProgramEditable, code: Type.String({ minLength: 1, maxLength: 40 }), name: Type.String({ minLength: 1, maxLength: 1000 }), document: DocumentKey, year: Year });

export const ImportPreview = Type.Object({
  importId: Type.String(), document: Type.String(), format: Type.String(), headerRow: Type.Integer(), headings: Type.Integer({ description: 'urusan/bidang and OPD group rows read as headings' }), rows: Type.Integer(), valid: Type.Integer(),
  created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), duplicates: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: 'row number in the spreadsheet' }), reason: Type.String() })),
  sample: Type.Array(Type.Object({
    row: Type.Integer(), code: Type.String(), level: Type.String(), name: Type.String(), opdCode: Nullable(Type.String()), indicator: Type.String(), target: Type.String(),
    unit: Type.String(), budget: Type.Number(), year: Type.Integer(), location: Type.String(), action: Type.String(),
  })),
  expiresAt: Type.Number(),
});
export const ImportResult = Type.Object({
  created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(),
  updatedRows: Type.Array(Type.Object({ row: Type.Integer(), code: Type.String(), id: Type.String(), fields: Type.Array(Type.String()) })),
});

type Suggestion = Static<typeof Suggestion>;
export type Program = Static<typeof Program>;
export type ProgramQuery = Static<typeof ProgramQuery>;
export type ProgramPatch = Static<typeof ProgramPatch>;
export type ProgramCreate = Static<typeof ProgramCreate>;
export type ImportPreview = Static<typeof ImportPreview>;
export type ImportResult = Static<typeof ImportResult>;
