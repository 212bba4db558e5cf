export { IngestService } from './telemetry.ingest.js';
export { parseAttributes, parseJsonPayload, parseTelemetry, type ParsedPoint } from './telemetry.parse.js';
export { TelemetryRepository } from './telemetry.repository.js';
export { RetentionJob } from './telemetry.retention.js';
export { deviceApiRoutes, splitKeys, telemetryRoutes } from './telemetry.routes.js';
export { TelemetryService } from './telemetry.service.js';
export { TelemetryWriter } from './telemetry.writer.js';
