// docs/keepalived-migration.md's keyword table is checked against the config loader, so the doc cannot
// drift from the code: every keyword keywords.ts lists as unsupported is in the doc as `ignored`, every
// `ignored`/`unknown` row shows the exact warning `vrrp-node -t` prints, and every keyword the doc says
// loads cleanly (`supported`, `partial`, `no effect`) loads with no diagnostic at all in a minimal config.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { UNSUPPORTED_GLOBAL, UNSUPPORTED_INSTANCE, UNSUPPORTED_ROOT, UNSUPPORTED_SYNC_GROUP } from '../../src/config/keywords.js';
import { conf, memfs } from './memfs.js';

const DOC = fileURLToPath(new URL('../../../../docs/keepalived-migration.md', import.meta.url));
const F = '/etc/keepalived/keepalived.conf';

type Section = 'root' | 'global_defs' | 'vrrp_script' | 'vrrp_instance' | 'authentication' | 'vrrp_sync_group';
const STATUSES = ['supported', 'partial', 'no effect', 'ignored', 'unknown'] as const;
type Status = (typeof STATUSES)[number];

interface Row {
  readonly section: Section;
  readonly keyword: string;
  readonly status: Status;
  /** The first `code span` of the notes column: for ignored/unknown, the warning text. */
  readonly warning: string | undefined;
  readonly line: number;
}

/** Headings `### Keywords: <section>` open a table; rows are `| \`kw\` | status | notes |`. */
function parseDoc(text: string): Row[] {
  const rows: Row[] = [];
  let section: Section | undefined;
  text.split('\n').forEach((line, i) => {
    const h = /^### Keywords: (?:top level|`(\w+)`)/.exec(line);
    if (h) {
      section = (h[1] ?? 'root') as Section;
      return;
    }
    if (line.startsWith('## ') || line.startsWith('### ')) {
      section = undefined;
      return;
    }
    const r = /^\| `([^`]+)` \| ([a-z ]+?) \| (.*) \|$/.exec(line);
    if (!r || section === undefined) return;
    const status = r[2] as Status;
    assert.ok(STATUSES.includes(status), `docs line ${i + 1}: unknown status '${r[2]}'`);
    rows.push({ section, keyword: r[1]!, status, warning: /`([^`]+)`/.exec(r[3]!)?.[1], line: i + 1 });
  });
  return rows;
}

// The smallest configs that load with no diagnostic; `text` goes into the named section.
const INSTANCE = ['interface eth0', 'virtual_router_id 51', 'virtual_ipaddress {', '10.10.10.129', '}'];
const SCRIPT = ['vrrp_script chk {', 'script "/bin/true"', '}'];
const VI_2 = ['vrrp_instance VI_2 {', 'interface eth0', 'virtual_router_id 52', 'virtual_ipaddress {', '10.10.10.130', '}', '}'];

/** `base` lines with `text` added; a base line with the same keyword is replaced (no duplicate-keyword noise). */
function merge(base: readonly string[], text: string): string[] {
  const first = (s: string): string => s.trim().split(/\s+/)[0] ?? '';
  const kw = first(text);
  const at = base.findIndex((l) => first(l) === kw);
  if (at < 0) return [...base, text];
  const end = base[at]!.includes('{') ? base.indexOf('}', at) : at; // a one-level block
  return [...base.slice(0, at), text, ...base.slice(end + 1)];
}

function configWith(section: Section, text: string): string {
  switch (section) {
    case 'root':
      return conf(...SCRIPT, 'vrrp_instance VI_1 {', ...INSTANCE, 'track_script {', 'chk', '}', '}', text);
    case 'global_defs':
      return conf('global_defs {', text, '}', ...SCRIPT, 'vrrp_instance VI_1 {', ...INSTANCE, '}');
    case 'vrrp_script':
      return conf('vrrp_script chk {', ...merge(['script "/bin/true"'], text), '}', 'vrrp_instance VI_1 {', ...INSTANCE, 'track_script {', 'chk', '}', '}');
    case 'vrrp_instance':
      return conf(...SCRIPT, 'vrrp_instance VI_1 {', ...merge(INSTANCE, text), '}');
    case 'authentication':
      return conf('vrrp_instance VI_1 {', ...INSTANCE, 'authentication {', text, '}', '}');
    case 'vrrp_sync_group':
      return conf(...SCRIPT, 'vrrp_instance VI_1 {', ...INSTANCE, '}', ...VI_2, 'vrrp_sync_group G {', ...merge(['group {', 'VI_1 VI_2', '}'], text), '}');
  }
}

// A valid use of each keyword the doc says loads cleanly. A row without a sample fails: add one here.
const SAMPLES: Readonly<Record<Section, Readonly<Record<string, string>>>> = {
  root: {
    global_defs: 'global_defs {\nrouter_id node1\n}',
    vrrp_script: 'vrrp_script chk_2 {\nscript "/bin/true"\n}',
    vrrp_instance: VI_2.join('\n'),
    vrrp_sync_group: [...VI_2, 'vrrp_sync_group G {', 'group {', 'VI_1', 'VI_2', '}', '}'].join('\n'),
    include: 'include /etc/keepalived/conf.d/*.conf',
  },
  global_defs: {
    router_id: 'router_id node1',
    vrrp_version: 'vrrp_version 3',
    vrrp_mcast_group4: 'vrrp_mcast_group4 224.0.0.18',
    vrrp_mcast_group6: 'vrrp_mcast_group6 ff02::12',
    v3_checksum_as_v2: 'v3_checksum_as_v2',
    vrrp_garp_master_delay: 'vrrp_garp_master_delay 5',
    vrrp_garp_master_repeat: 'vrrp_garp_master_repeat 5',
    vrrp_garp_master_refresh: 'vrrp_garp_master_refresh 60',
    vrrp_garp_master_refresh_repeat: 'vrrp_garp_master_refresh_repeat 2',
    vrrp_strict: 'vrrp_strict',
    vrrp_skip_check_adv_addr: 'vrrp_skip_check_adv_addr',
    vrrp_check_unicast_src: 'vrrp_check_unicast_src',
    vrrp_lower_prio_no_advert: 'vrrp_lower_prio_no_advert',
    vrrp_higher_prio_send_advert: 'vrrp_higher_prio_send_advert',
    script_user: 'script_user keepalived_script',
    enable_script_security: 'enable_script_security',
    notification_email: 'notification_email {\nops@example.com\n}',
    notification_email_from: 'notification_email_from vrrp@example.com',
    smtp_server: 'smtp_server 127.0.0.1 25',
    smtp_connect_timeout: 'smtp_connect_timeout 30',
  },
  vrrp_script: {
    script: 'script "/usr/local/bin/check.sh --fast"',
    interval: 'interval 2',
    timeout: 'timeout 3',
    weight: 'weight -20',
    rise: 'rise 2',
    fall: 'fall 3',
    user: 'user nobody',
    init_fail: 'init_fail',
  },
  vrrp_instance: {
    state: 'state BACKUP',
    interface: 'interface eth1',
    virtual_router_id: 'virtual_router_id 52',
    priority: 'priority 100',
    advert_int: 'advert_int 1',
    version: 'version 2',
    nopreempt: 'nopreempt',
    preempt: 'preempt',
    preempt_delay: 'preempt_delay 10',
    authentication: 'authentication {\nauth_type PASS\nauth_pass 1234\n}',
    virtual_ipaddress: 'virtual_ipaddress {\n10.10.10.129/24 dev eth0 label eth0:1\n}',
    virtual_ipaddress_excluded: 'virtual_ipaddress_excluded {\n10.10.20.1/24\n}',
    unicast_src_ip: 'unicast_src_ip 10.10.10.126',
    mcast_src_ip: 'mcast_src_ip 10.10.10.126',
    unicast_peer: 'unicast_peer {\n10.10.10.127\n}',
    track_interface: 'track_interface {\neth1 weight -10\n}',
    track_script: 'track_script {\nchk weight 10\n}',
    notify_master: 'notify_master "/usr/local/bin/notify.sh master"',
    notify_backup: 'notify_backup "/usr/local/bin/notify.sh backup"',
    notify_fault: 'notify_fault "/usr/local/bin/notify.sh fault"',
    notify_stop: 'notify_stop "/usr/local/bin/notify.sh stop"',
    notify: 'notify /usr/local/bin/notify.sh',
    garp_master_delay: 'garp_master_delay 5',
    garp_master_repeat: 'garp_master_repeat 5',
    garp_master_refresh: 'garp_master_refresh 60',
    garp_master_refresh_repeat: 'garp_master_refresh_repeat 2',
    lower_prio_no_advert: 'lower_prio_no_advert',
    higher_prio_send_advert: 'higher_prio_send_advert',
    strict_mode: 'strict_mode',
    smtp_alert: 'smtp_alert',
    v3_checksum_as_v2: 'v3_checksum_as_v2',
    skip_check_adv_addr: 'skip_check_adv_addr',
    check_unicast_src: 'check_unicast_src',
    accept: 'accept',
    no_accept: 'no_accept',
    dont_track_primary: 'dont_track_primary',
  },
  authentication: {
    auth_type: 'auth_type PASS\nauth_pass 1234',
    auth_pass: 'auth_type PASS\nauth_pass 1234',
  },
  vrrp_sync_group: {
    group: 'group {\nVI_1\nVI_2\n}',
    track_interface: 'track_interface {\neth1\n}',
    track_script: 'track_script {\nchk\n}',
    notify_master: 'notify_master "/usr/local/bin/notify.sh master"',
    notify_backup: 'notify_backup "/usr/local/bin/notify.sh backup"',
    notify_fault: 'notify_fault "/usr/local/bin/notify.sh fault"',
    notify_stop: 'notify_stop "/usr/local/bin/notify.sh stop"',
    notify: 'notify /usr/local/bin/notify.sh',
    smtp_alert: 'smtp_alert',
  },
};

const UNSUPPORTED: Readonly<Record<Section, ReadonlySet<string>>> = {
  root: UNSUPPORTED_ROOT,
  global_defs: UNSUPPORTED_GLOBAL,
  vrrp_script: new Set(),
  vrrp_instance: UNSUPPORTED_INSTANCE,
  authentication: new Set(),
  vrrp_sync_group: UNSUPPORTED_SYNC_GROUP,
};

const UNKNOWN_WHERE: Readonly<Record<Section, string>> = {
  root: '',
  global_defs: ' in global_defs',
  vrrp_script: ' in vrrp_script',
  vrrp_instance: ' in vrrp_instance',
  authentication: ' in authentication',
  vrrp_sync_group: ' in vrrp_sync_group',
};

function diagnosticsOf(section: Section, text: string): string[] {
  const files = { [F]: configWith(section, text), '/etc/keepalived/conf.d/extra.conf': '# nothing here\n' };
  return loadConfig(F, memfs(files)).diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message}`);
}

const rows = parseDoc(readFileSync(DOC, 'utf8'));
const sections = Object.keys(UNSUPPORTED) as Section[];

describe('the keyword table in docs/keepalived-migration.md', () => {
  test('has a table for every section, and no keyword twice in one section', () => {
    for (const s of sections) assert.ok(rows.some((r) => r.section === s), `no '### Keywords: ${s}' table`);
    const seen = new Set<string>();
    for (const r of rows) {
      const key = `${r.section}/${r.keyword}`;
      assert.ok(!seen.has(key), `docs line ${r.line}: ${key} listed twice`);
      seen.add(key);
    }
  });

  test('the base configs load with no diagnostic (so any diagnostic below is the keyword\'s)', () => {
    for (const s of sections) assert.deepEqual(diagnosticsOf(s, ''), [], s);
  });

  test('every keyword keywords.ts lists as unsupported is in the doc as ignored', () => {
    for (const s of sections) {
      for (const kw of UNSUPPORTED[s]) {
        const row = rows.find((r) => r.section === s && r.keyword === kw);
        assert.ok(row, `${s}: ${kw} is unsupported in keywords.ts but missing from the doc`);
        assert.equal(row.status, 'ignored', `docs line ${row.line}: ${s}/${kw} is unsupported in keywords.ts`);
      }
    }
  });

  for (const s of sections) {
    test(`${s}: ignored and unknown rows show exactly the warning vrrp-node prints`, () => {
      for (const r of rows.filter((x) => x.section === s && (x.status === 'ignored' || x.status === 'unknown'))) {
        const expected = r.status === 'ignored'
          ? `keyword ${r.keyword} is not supported by hotstandby; ignored`
          : `unknown keyword '${r.keyword}'${UNKNOWN_WHERE[s]}; ignored`;
        assert.equal(UNSUPPORTED[s].has(r.keyword), r.status === 'ignored', `docs line ${r.line}: ${s}/${r.keyword} status ${r.status} disagrees with keywords.ts`);
        assert.equal(r.warning, expected, `docs line ${r.line}: the warning text for ${s}/${r.keyword}`);
        const got = diagnosticsOf(s, r.keyword);
        assert.equal(got.length, 1, `${s}/${r.keyword}: ${got.join(' | ')}`);
        assert.match(got[0]!, new RegExp(`: warning: ${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), `${s}/${r.keyword}`);
      }
    });

    test(`${s}: supported, partial and no-effect keywords load with no diagnostic`, () => {
      for (const r of rows.filter((x) => x.section === s && (x.status === 'supported' || x.status === 'partial' || x.status === 'no effect'))) {
        const sample = SAMPLES[s][r.keyword];
        assert.ok(sample !== undefined, `docs line ${r.line}: no sample for ${s}/${r.keyword} in keyword-table.test.ts`);
        assert.deepEqual(diagnosticsOf(s, sample), [], `${s}/${r.keyword}: ${sample}`);
      }
    });
  }
});
