// The executable entry: `node dist/cli/run.js <command>` (bin/vrrp-notifier.js), or with tsx from src.
import { startTelemetry } from '@hotstandby/telemetry-sdk';
import { main, UsageError } from './main.js';

// OpenTelemetry, once, for `serve` (off unless OTEL_* configures it); flushed before exiting.
const telemetry = await startTelemetry({ serviceName: 'vrrp-notifier', ...(process.argv[2] === 'serve' ? {} : { env: {} }) });

main(process.argv.slice(2)).then(
  (code) => void telemetry.shutdown().then(() => process.exit(code)),
  (err: unknown) => {
    if (err instanceof UsageError || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`vrrp-notifier: ${(err as Error).message} (vrrp-notifier --help)`);
      process.exit(2);
    }
    console.error('vrrp-notifier:', err);
    process.exit(1);
  },
);
