export { IngestService } from './telemetry.ingest.ts';
export { parseAttributes, parseJsonPayload, parseTelemetry, type ParsedPoint } from './telemetry.parse.ts';
export { TelemetryRepository } from './telemetry.repository.ts';
export { RetentionJob } from './telemetry.retention.ts';
export { deviceApiRoutes, splitKeys, telemetryRoutes } from './telemetry.routes.ts';
export { TelemetryService } from './telemetry.service.ts';
export { TelemetryWriter } from './telemetry.writer.ts';
export { GatewayIngest } from './gateway.ingest.ts';
