export { resetTelemetryForTests, startTelemetry, telemetryFromEnv } from './start.js';
export type { Telemetry, TelemetryOptions } from './start.js';
