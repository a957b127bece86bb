// A minimal OTLP/HTTP receiver (JSON encoding: OTEL_EXPORTER_OTLP_PROTOCOL=http/json), run as a child
// process inside a lab namespace by otlp-receiver.ts. Every span of POST /v1/traces is printed to stdout
// as one JSON line (flattened, times as µs numbers); /v1/metrics and /v1/logs are accepted and ignored.
// argv: HOST PORT
import { createServer } from 'node:http';

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}

function value(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value);
  return null;
}

function attrs(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

/** OTLP/JSON times are decimal strings of ns since the epoch; µs keeps them exact enough as a number. */
function us(ns: string | number): number {
  const b = BigInt(ns);
  return Number(b / 1000n) + Number(b % 1000n) / 1000;
}

const [host = '127.0.0.1', portText = '4318'] = process.argv.slice(2);
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.url === '/v1/traces') {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: Record<string, unknown>[] }[] }[];
        };
        for (const rs of body.resourceSpans ?? []) {
          const resource = attrs(rs.resource?.attributes);
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              const line = {
                service: resource['service.name'],
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || undefined,
                name: s.name,
                kind: s.kind,
                startUs: us(s.startTimeUnixNano as string),
                endUs: us(s.endTimeUnixNano as string),
                attributes: attrs(s.attributes as KeyValue[]),
                events: ((s.events as { name: string; timeUnixNano: string; attributes?: KeyValue[] }[] | undefined) ?? []).map((e) => ({ name: e.name, us: us(e.timeUnixNano), attributes: attrs(e.attributes) })),
                links: ((s.links as { traceId: string; spanId: string }[] | undefined) ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
                status: s.status,
              };
              process.stdout.write(`SPAN ${JSON.stringify(line)}\n`);
            }
          }
        }
      } catch (err) {
        process.stdout.write(`BAD ${String(err)}\n`);
        res.writeHead(400).end();
        return;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
server.listen(Number(portText), host, () => process.stdout.write(`OTLP receiver listening on ${host}:${portText}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
