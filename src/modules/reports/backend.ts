/**
 * What the reports module needs from the incidents module (the seam of the
 * contract, /work/notes/incidents-contract.md). IncidentsService satisfies it.
 */
export type AttributeDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';

export interface ReportCategory {
  code: string;
  nameId: string;
  nameEn: string;
  descriptionId: string;
  descriptionEn: string;
  group: string;
  keywords: string[];
  attributes: { code: string; datatype: AttributeDatatype; required: boolean; descriptionId: string; descriptionEn: string; values?: { key: string; name: string }[] }[];
  active: boolean;
}

export type PublicStatus = 'open' | 'closed';

export interface PublicIncident {
  ticket: string;
  categoryCode: string;
  categoryNameId: string;
  categoryNameEn: string;
  status: string;
  publicStatus: PublicStatus;
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  agency: string | null;
  requestedAt: number;
  updatedAt: number;
  expectedAt: number | null;
  mediaUrl: string | null;
  updates: { at: number; text: string | null; status: string | null }[];
}

export interface FileReportInput {
  categoryCode: string;
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  reporter: { name?: string | null; phone?: string | null; email?: string | null };
  photoIds: string[];
  mediaUrl: string | null;
  attributes: Record<string, string | string[]>;
  apiKeyId: string | null;
  source?: 'report' | 'lapor';
}

export interface ReportsBackend {
  listCategories(regionId: string): Promise<ReportCategory[]>;
  getCategory(regionId: string, code: string): Promise<ReportCategory | null>;
  fileReport(regionId: string, input: FileReportInput): Promise<{ incident: { id: string; ticket: string }; eraseSecret: string }>;
  publicByTicket(regionId: string, ticket: string): Promise<PublicIncident | null>;
  listPublic(regionId: string, filter: { tickets?: string[]; categoryCodes?: string[]; statuses?: PublicStatus[]; from?: number; to?: number; limit: number }): Promise<PublicIncident[]>;
  eraseReporterBySecret(regionId: string, ticket: string, secret: string): Promise<boolean>;
}
