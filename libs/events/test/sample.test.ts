import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactAnomalySample } from '../src/index.js';

test('a VRRPv2 PASS packet sample never contains the password (auth_pass 1234)', () => {
  // keepalived VI_1 advert: v2 type 1, vrid 51, prio 100, 1 address, auth PASS, int 1, VIP, "1234\0\0\0\0".
  const pkt = Uint8Array.from([0x21, 0x33, 0x64, 0x01, 0x01, 0x01, 0x00, 0x00, 10, 10, 10, 129, 0x31, 0x32, 0x33, 0x34, 0, 0, 0, 0]);
  const hex = redactAnomalySample(pkt, 'ipv4');
  assert.equal(hex, '2133640101010000' + '0a0a0a81' + '0000000000000000');
  assert.doesNotMatch(hex, /31323334/);
});

test('a truncated packet keeps its length, zeroes past the claimed address list', () => {
  const hex = redactAnomalySample(Uint8Array.from([0x21, 0x33, 0x64, 0x00, 0x01, 0x01, 0, 0, 0x31, 0x32]), 'ipv4');
  assert.equal(hex, '21336400010100000000');
});
