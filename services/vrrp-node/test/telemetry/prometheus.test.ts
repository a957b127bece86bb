import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FailoverHistogram } from '../../src/telemetry/metrics.js';
import { parseListen, startMetricsEndpoint } from '../../src/telemetry/metrics-server.js';
import { prometheusPage } from '../../src/telemetry/prometheus-page.js';
import { newCounters } from '../../src/daemon/counters.js';

const view = { name: 'VI_1', interface: 'eth0', vrid: 51, state: 'MASTER', vips: ['10.10.10.129'], counters: { ...newCounters(), advert_sent: 42, advert_rcvd: 7, auth_failure: 2 } };

describe('Prometheus page (keepalived-exporter names)', () => {
  test('state gauge per VIP, counters under the exporter names and labels', () => {
    const page = prometheusPage([view], []);
    assert.match(page, /^keepalived_vrrp_state\{iname="VI_1",intf="eth0",vrid="51",ip_address="10\.10\.10\.129"\} 2$/m);
    assert.match(page, /^keepalived_advertisements_sent_total\{iname="VI_1",intf="eth0",vrid="51",state="MASTER"\} 42$/m);
    assert.match(page, /^keepalived_advertisements_received_total\{.*\} 7$/m);
    assert.match(page, /^keepalived_authentication_failure_total\{.*\} 2$/m);
    assert.match(page, /^# TYPE keepalived_become_master_total counter$/m);
  });

  test('failover histogram: cumulative buckets, sum and count in seconds', () => {
    const h = new FailoverHistogram();
    const rec = { instance: 'VI_1', vrid: 51, interface: 'eth0', reason: 'master-no-response', measuredUs: 3_613_281, rfcExpectedUs: 3_613_281, toGarpUs: 3_620_000 };
    h.observe({ ...rec, durationUs: 3_620_000 });
    h.observe({ ...rec, durationUs: 400_000 });
    const page = prometheusPage([view], h.series());
    assert.match(page, /^hotstandby_failover_duration_seconds_bucket\{iname="VI_1",intf="eth0",vrid="51",le="0\.5"\} 1$/m);
    assert.match(page, /^hotstandby_failover_duration_seconds_bucket\{.*le="3\.75"\} 2$/m);
    assert.match(page, /^hotstandby_failover_duration_seconds_bucket\{.*le="\+Inf"\} 2$/m);
    assert.match(page, /^hotstandby_failover_duration_seconds_count\{.*\} 2$/m);
    assert.match(page, /^hotstandby_failover_duration_seconds_sum\{.*\} 4\.02\d*$/m);
  });

  test('--metrics HOST:PORT parsing gives a reason, never a throw', () => {
    assert.deepEqual(parseListen('127.0.0.1:9650'), { ok: true, host: '127.0.0.1', port: 9650 });
    assert.deepEqual(parseListen('[::1]:9650'), { ok: true, host: '::1', port: 9650 });
    assert.deepEqual(parseListen(':9650'), { ok: true, host: '0.0.0.0', port: 9650 });
    assert.equal(parseListen('9650').ok, false);
    assert.equal(parseListen('h:99999').ok, false);
  });

  test('the endpoint serves /metrics as text 0.0.4 and 404 elsewhere', async () => {
    const ep = await startMetricsEndpoint('127.0.0.1', 0, () => prometheusPage([view], []));
    try {
      const r = await fetch(ep.url);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /version=0\.0\.4/);
      assert.match(await r.text(), /keepalived_up 1/);
      assert.equal((await fetch(ep.url.replace('/metrics', '/'))).status, 404);
    } finally {
      await ep.close();
    }
  });
});
