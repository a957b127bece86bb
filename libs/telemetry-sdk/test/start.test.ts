import { test } from 'node:test';
import assert from 'node:assert/strict';
import { telemetryFromEnv } from '../src/index.js';

test('exporters are off unless the environment configures them', () => {
  assert.deepEqual(telemetryFromEnv({}), { traces: false, metrics: false });
  assert.deepEqual(telemetryFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://10.10.10.1:4318' }), { traces: true, metrics: true });
  assert.deepEqual(telemetryFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }), { traces: true, metrics: false });
  assert.deepEqual(telemetryFromEnv({ OTEL_TRACES_EXPORTER: 'console' }), { traces: true, metrics: false });
  assert.deepEqual(telemetryFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRICS_EXPORTER: 'none' }), { traces: true, metrics: false });
  assert.deepEqual(telemetryFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }), { traces: false, metrics: false });
});
