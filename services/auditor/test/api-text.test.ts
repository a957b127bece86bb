// Text handling on the API's hot path: pgTimestampToIso (src/time/micros.ts) gives exactly what the long
// way (parseTimestamp + toIso) gives, other zones and forms still go the long way; splitTarget (api/server.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp, pgTimestampToIso, toIso } from '../src/time/micros.js';
import { splitTarget } from '../src/api/server.js';

const longWay = (t: string) => ((us) => (us === undefined ? undefined : toIso(us)))(parseTimestamp(t));

test('pgTimestampToIso matches parseTimestamp + toIso', () => {
  for (const t of [
    '2026-01-01 00:00:00+00',
    '2026-01-01 00:00:00.1+00',
    '2026-11-20 03:12:00.123456+00',
    '2026-11-20 23:59:59.999999+00',
    '0099-01-01 00:00:00+00',
    '2026-11-20 03:12:00.123456+02',
    '2026-11-20 03:12:00.5-05:30',
    '2026-11-20T03:12:00.5Z',
  ]) {
    assert.equal(pgTimestampToIso(t), longWay(t), t);
  }
  assert.equal(pgTimestampToIso('2026-11-20 03:12:00.12+00'), '2026-11-20T03:12:00.120000Z');
  assert.equal(pgTimestampToIso('2026-11-20 05:12:00+02'), '2026-11-20T03:12:00.000000Z');
  assert.equal(pgTimestampToIso('infinity'), undefined);
});

test('splitTarget splits the request target at the first ?', () => {
  assert.deepEqual(splitTarget('/api/v1/master?vrid=51&at=x'), { pathname: '/api/v1/master', search: '?vrid=51&at=x' });
  assert.deepEqual(splitTarget('/healthz'), { pathname: '/healthz', search: '' });
  assert.deepEqual(splitTarget('/timeline?a=1?b'), { pathname: '/timeline', search: '?a=1?b' });
  assert.equal(new URLSearchParams(splitTarget('/x?domain=10.1.3.0%2F24').search).get('domain'), '10.1.3.0/24');
});
