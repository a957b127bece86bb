import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Advertisement } from '@hotstandby/protocol';

test('the protocol package resolves from source', () => {
  const a: Pick<Advertisement, 'vrid'> = { vrid: 51 };
  assert.equal(a.vrid, 51);
});
