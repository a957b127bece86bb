// The no_accept firewall (net/vip-filter.ts) as nft scripts: what each call hands to `nft -f -`.
// The real nft runs in the e2e test (test/e2e/accept-mode.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NftError, NftVipFilter } from '../../src/net/vip-filter.js';

function recorder(fail?: (script: string) => string | undefined): { scripts: string[]; run: (s: string) => Promise<void> } {
  const scripts: string[] = [];
  return {
    scripts,
    run: (s) => {
      scripts.push(s);
      const msg = fail?.(s);
      return msg === undefined ? Promise.resolve() : Promise.reject(new NftError(msg));
    },
  };
}

describe('NftVipFilter', () => {
  test('the first drop creates the table (input and output chains at priority -1, VRRP and ND accepted), then adds the VIPs per family', async () => {
    const r = recorder();
    const f = new NftVipFilter(r.run, 'hs_test');
    await f.drop(['10.10.10.129', '2001:db8::129']);
    assert.equal(r.scripts.length, 2);
    assert.match(r.scripts[0]!, /^table inet hs_test \{/);
    assert.match(r.scripts[0]!, /type filter hook input priority -1; policy accept;\n {4}meta l4proto 112 accept\n {4}icmpv6 type \{ nd-neighbor-solicit, nd-neighbor-advert \} accept\n {4}ip daddr @vips4 drop\n {4}ip6 daddr @vips6 drop/);
    assert.match(r.scripts[0]!, /type filter hook output priority -1;[\s\S]*ip saddr @vips4 drop/);
    assert.equal(r.scripts[1], 'add element inet hs_test vips4 { 10.10.10.129 }\nadd element inet hs_test vips6 { 2001:db8::129 }\n');
    assert.deepEqual(f.dropped, ['10.10.10.129', '2001:db8::129']);
    await f.drop(['10.10.10.129']);
    assert.equal(r.scripts.length, 2, 'already dropped: nothing to do');
  });

  test('accept removes only what was dropped; close deletes the table once', async () => {
    const r = recorder();
    const f = new NftVipFilter(r.run, 'hs_test');
    await f.accept(['10.10.10.129']);
    assert.deepEqual(r.scripts, [], 'never dropped: no nft run');
    await f.drop(['10.10.10.129', '10.10.10.130']);
    await f.accept(['10.10.10.130', '10.10.10.131']);
    assert.equal(r.scripts.at(-1), 'delete element inet hs_test vips4 { 10.10.10.130 }\n');
    assert.deepEqual(f.dropped, ['10.10.10.129']);
    await f.close();
    assert.equal(r.scripts.at(-1), 'delete table inet hs_test\n');
    const n = r.scripts.length;
    await f.close();
    assert.equal(r.scripts.length, n, 'a second close does nothing');
  });

  test('clear: a missing table is not an error; other failures are', async () => {
    const missing = new NftVipFilter(recorder(() => 'nft exit 1: Error: No such file or directory; did you mean table ...').run);
    assert.equal(await missing.clear(), false);
    const denied = new NftVipFilter(recorder(() => 'nft exit 1: Operation not permitted').run);
    await assert.rejects(denied.clear(), /Operation not permitted/);
  });

  test('a failed table creation is retried on the next drop', async () => {
    let failures = 1;
    const r = recorder((s) => (s.startsWith('table') && failures-- > 0 ? 'nft exit 1: busy' : undefined));
    const f = new NftVipFilter(r.run);
    await assert.rejects(f.drop(['10.10.10.129']), /busy/);
    assert.deepEqual(f.dropped, []);
    await f.drop(['10.10.10.129']);
    assert.deepEqual(f.dropped, ['10.10.10.129']);
  });
});
