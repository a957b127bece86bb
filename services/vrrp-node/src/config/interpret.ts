// Block tree → KeepalivedConfig, applying keepalived 2.2's keyword handlers (vrrp_parser.c,
// global_parser.c) and its completion rules (vrrp.c vrrp_complete_instance(), vrrp_complete_init()).
// Where keepalived corrects a value and carries on, we do the same and warn; where keepalived rejects a
// value (its `-t` reports a config error) or cannot run an instance, we report an error.

import { isIPv4, isIPv6 } from 'node:net';
import type { Family, IpAddress, VrrpVersion } from '@hotstandby/protocol';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic, SourceLocation } from './diagnostic.js';
import { UNSUPPORTED_GLOBAL, UNSUPPORTED_INSTANCE, UNSUPPORTED_ROOT, UNSUPPORTED_SYNC_GROUP } from './keywords.js';
import { splitQuotedEscaped } from './lexer.js';
import type {
  Authentication, GarpSettings, GlobalDefs, KeepalivedConfig, NotifyScripts, ScriptCommand, ScriptUser,
  SyncGroup, TrackedInterface, TrackedScript, VirtualAddress, VrrpInstance, VrrpScript,
} from './model.js';
import type { Statement, Word } from './parse.js';

export interface InterpretOptions {
  /** Default router_id and e-mail sender domain (keepalived uses the local host name). */
  readonly hostname: string;
  readonly files?: readonly string[];
}

export interface InterpretResult {
  readonly config: KeepalivedConfig;
  readonly diagnostics: readonly Diagnostic[];
}

const US_PER_S = 1_000_000;
const VRRP_MAX_ADDR = 255; // Count IP Addrs is 8 bits (RFC 9568 §5.2.6)
const OWNER = 255;

type Out = Diagnostic[];

const err = (out: Out, at: SourceLocation, keyword: string, message: string): void => {
  out.push(diagnostic('error', at, keyword, message));
};
const warn = (out: Out, at: SourceLocation, keyword: string, message: string): void => {
  out.push(diagnostic('warning', at, keyword, message));
};

// ---------------------------------------------------------------- value readers

function needValue(out: Out, st: Statement): Word | undefined {
  const v = st.args[0];
  if (v === undefined) err(out, st.keyword, st.keyword.text, `${st.keyword.text} needs a value`);
  return v;
}

function extraArgs(out: Out, st: Statement, allowed: number): void {
  const extra = st.args[allowed];
  if (extra !== undefined) warn(out, extra, st.keyword.text, `extra arguments after ${st.keyword.text} ignored`);
}

/** A whole number in min..max; errors name the range (keepalived: "outside range [min, max]"). */
function intValue(out: Out, st: Statement, min: number, max: number, w: Word | undefined = st.args[0]): number | undefined {
  if (w === undefined) {
    needValue(out, st);
    return undefined;
  }
  const n = /^[+-]?\d+$/.test(w.text) ? Number(w.text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    err(out, w, st.keyword.text, `${st.keyword.text} must be ${min}..${max} (got '${w.text}')`);
    return undefined;
  }
  return n;
}

/** Decimal seconds (keepalived <TIMER>: fractional seconds, µs resolution) → µs. */
function secondsValue(out: Out, st: Statement, minS: number, maxS: number, w: Word | undefined = st.args[0]): number | undefined {
  if (w === undefined) {
    needValue(out, st);
    return undefined;
  }
  const ok = /^\d+(\.\d*)?$|^\.\d+$/.test(w.text);
  const s = ok ? Number(w.text) : NaN;
  if (!Number.isFinite(s) || s < minS || s > maxS) {
    err(out, w, st.keyword.text, `${st.keyword.text} must be ${minS}..${maxS} seconds (got '${w.text}')`);
    return undefined;
  }
  return Math.round(s * US_PER_S);
}

/** keepalived check_true_false(): optional on|off|true|false|yes|no, absent means true. */
function boolValue(out: Out, st: Statement): boolean | undefined {
  const w = st.args[0];
  if (w === undefined) return true;
  extraArgs(out, st, 1);
  if (['on', 'true', 'yes'].includes(w.text)) return true;
  if (['off', 'false', 'no'].includes(w.text)) return false;
  err(out, w, st.keyword.text, `${st.keyword.text} takes on|off|true|false|yes|no (got '${w.text}')`);
  return undefined;
}

function flag(out: Out, st: Statement): true {
  extraArgs(out, st, 0);
  return true;
}

interface ParsedIp {
  readonly address: IpAddress;
  readonly family: Family;
}

export function parseIp(text: string): ParsedIp | undefined {
  if (isIPv4(text)) return { address: text, family: 'ipv4' };
  if (isIPv6(text)) {
    // WHATWG URL serialises IPv6 hosts in RFC 5952 form (lower case, longest zero run compressed).
    return { address: new URL(`http://[${text}]/`).hostname.slice(1, -1), family: 'ipv6' };
  }
  return undefined;
}

function ipValue(out: Out, st: Statement, w: Word | undefined = st.args[0]): ParsedIp | undefined {
  if (w === undefined) {
    needValue(out, st);
    return undefined;
  }
  const ip = parseIp(w.text);
  if (!ip) err(out, w, st.keyword.text, `${st.keyword.text}: '${w.text}' is not an IPv4 or IPv6 address`);
  return ip;
}

/** `USER [GROUP]` as written; config/script-users.ts resolves it to uid/gid (keepalived: set_script_uid_gid). */
function scriptUser(words: readonly string[], at: SourceLocation, keyword: string): ScriptUser | undefined {
  const [user, group] = words;
  if (user === undefined) return undefined;
  const location = { file: at.file, line: at.line, column: at.column };
  return group === undefined ? { user, location, keyword } : { user, group, location, keyword };
}

/**
 * A script line, re-split as keepalived does for scripts: `KEYWORD "command args" [user [group]]`, or
 * for `script`, `script command args` unquoted. Quotes and backslash escapes are honoured.
 */
function scriptCommand(out: Out, st: Statement, withUser: boolean): ScriptCommand | undefined {
  const kw = st.keyword.text;
  const split = splitQuotedEscaped(st.text);
  if (!split.ok) {
    err(out, st.keyword, kw, `${kw}: ${split.reason}`);
    return undefined;
  }
  const words = split.words.slice(1);
  const first = words[0];
  if (first === undefined || first === '') {
    err(out, st.keyword, kw, `${kw} needs a script`);
    return undefined;
  }
  const single = withUser || words.length === 1;
  const inner = single ? splitQuotedEscaped(first) : { ok: true as const, words };
  if (!inner.ok || inner.words.length === 0) {
    err(out, st.args[0] ?? st.keyword, kw, `${kw}: ${inner.ok ? 'empty command' : inner.reason}`);
    return undefined;
  }
  const command = single ? first : words.join(' ');
  const user = withUser ? scriptUser(words.slice(1), st.args[1] ?? st.keyword, kw) : undefined;
  if (withUser && words.length > 3) warn(out, st.args[3] ?? st.keyword, kw, `extra arguments after ${kw} ignored`);
  return user ? { command, argv: inner.words, user } : { command, argv: inner.words };
}

function unsupported(out: Out, st: Statement): void {
  warn(out, st.keyword, st.keyword.text, `keyword ${st.keyword.text} is not supported by hotstandby; ignored`);
}

function unknown(out: Out, st: Statement, where: string): void {
  warn(out, st.keyword, st.keyword.text, `unknown keyword '${st.keyword.text}'${where}; ignored`);
}

function needBlock(out: Out, st: Statement): readonly Statement[] | undefined {
  if (st.block === undefined) {
    err(out, st.keyword, st.keyword.text, `${st.keyword.text} needs a { ... } block`);
    return undefined;
  }
  return st.block.statements;
}

/** Lines of a value block ({ a b \n c }) flattened to words, as keepalived read_value_block(). */
function blockWords(st: Statement): Word[] {
  return (st.block?.statements ?? []).flatMap((s) => [s.keyword, ...s.args]);
}

// ---------------------------------------------------------------- global_defs

interface GlobalDraft {
  routerId?: string;
  vrrpVersion?: VrrpVersion;
  mcastGroup4?: IpAddress;
  mcastGroup6?: IpAddress;
  v3ChecksumAsV2?: boolean;
  garpDelayUs?: number;
  garpRepeat?: number;
  garpRefreshUs?: number;
  garpRefreshRepeat?: number;
  strict?: boolean;
  skipCheckAdvAddr?: boolean;
  checkUnicastSrc?: boolean;
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  scriptUser?: ScriptUser;
  enableScriptSecurity?: boolean;
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: { host: string; port: number };
  smtpConnectTimeoutUs?: number;
}

function globalDefs(out: Out, statements: readonly Statement[], g: GlobalDraft): void {
  for (const st of statements) {
    const kw = st.keyword.text;
    switch (kw) {
      case 'router_id': {
        const v = needValue(out, st);
        if (v) g.routerId = v.text;
        extraArgs(out, st, 1);
        break;
      }
      case 'vrrp_version': {
        const v = intValue(out, st, 2, 3);
        if (v !== undefined) g.vrrpVersion = v as VrrpVersion;
        break;
      }
      case 'vrrp_mcast_group4':
      case 'vrrp_mcast_group6': {
        const ip = ipValue(out, st);
        if (!ip) break;
        const want: Family = kw === 'vrrp_mcast_group4' ? 'ipv4' : 'ipv6';
        const multicast = want === 'ipv4' ? /^2(2[4-9]|3\d)\./.test(ip.address) : ip.address.startsWith('ff');
        if (ip.family !== want || !multicast) {
          err(out, st.args[0] ?? st.keyword, kw, `${kw} must be an ${want === 'ipv4' ? 'IPv4' : 'IPv6'} multicast address (got '${st.args[0]?.text ?? ''}')`);
          break;
        }
        if (want === 'ipv4') g.mcastGroup4 = ip.address;
        else g.mcastGroup6 = ip.address;
        break;
      }
      case 'v3_checksum_as_v2': {
        const b = boolValue(out, st);
        if (b !== undefined) g.v3ChecksumAsV2 = b;
        break;
      }
      case 'vrrp_garp_master_delay': {
        const v = intValue(out, st, 0, 4294);
        if (v !== undefined) g.garpDelayUs = v * US_PER_S;
        break;
      }
      case 'vrrp_garp_master_repeat':
      case 'vrrp_garp_master_refresh_repeat': {
        let v = intValue(out, st, 0, 2 ** 31 - 1);
        if (v === undefined) break;
        if (v === 0) {
          warn(out, st.args[0] ?? st.keyword, kw, `${kw} must be greater than 0, setting to 1`);
          v = 1;
        }
        if (kw === 'vrrp_garp_master_repeat') g.garpRepeat = v;
        else g.garpRefreshRepeat = v;
        break;
      }
      case 'vrrp_garp_master_refresh': {
        const v = intValue(out, st, 0, 2 ** 31 - 1);
        if (v !== undefined) g.garpRefreshUs = v * US_PER_S;
        break;
      }
      case 'vrrp_strict':
        g.strict = flag(out, st);
        break;
      case 'vrrp_skip_check_adv_addr':
        g.skipCheckAdvAddr = flag(out, st);
        break;
      case 'vrrp_check_unicast_src':
        g.checkUnicastSrc = flag(out, st);
        break;
      case 'vrrp_lower_prio_no_advert': {
        const b = boolValue(out, st);
        if (b !== undefined) g.lowerPrioNoAdvert = b;
        break;
      }
      case 'vrrp_higher_prio_send_advert': {
        const b = boolValue(out, st);
        if (b !== undefined) g.higherPrioSendAdvert = b;
        break;
      }
      case 'script_user': {
        const v = needValue(out, st);
        if (v) g.scriptUser = scriptUser(st.args.map((a) => a.text), v, kw);
        extraArgs(out, st, 2);
        break;
      }
      case 'enable_script_security':
        g.enableScriptSecurity = flag(out, st);
        break;
      case 'notification_email':
        if (needBlock(out, st)) g.notificationEmail.push(...blockWords(st).map((w) => w.text));
        break;
      case 'notification_email_from': {
        const v = needValue(out, st);
        if (v) g.notificationEmailFrom = v.text;
        break;
      }
      case 'smtp_server': {
        const host = needValue(out, st);
        if (!host) break;
        const port = st.args[1] === undefined ? 25 : intValue(out, st, 1, 65535, st.args[1]);
        if (port !== undefined) g.smtpServer = { host: host.text, port };
        extraArgs(out, st, 2);
        break;
      }
      case 'smtp_connect_timeout': {
        const v = intValue(out, st, 1, 2 ** 31 - 1);
        if (v !== undefined) g.smtpConnectTimeoutUs = v * US_PER_S;
        break;
      }
      default:
        if (UNSUPPORTED_GLOBAL.has(kw)) unsupported(out, st);
        else unknown(out, st, ' in global_defs');
    }
  }
}

function finishGlobal(g: GlobalDraft, hostname: string): GlobalDefs {
  const base: GlobalDefs = {
    routerId: g.routerId ?? hostname,
    vrrpVersion: g.vrrpVersion ?? 2,
    mcastGroup4: g.mcastGroup4 ?? '224.0.0.18',
    mcastGroup6: g.mcastGroup6 ?? 'ff02::12',
    v3ChecksumAsV2: g.v3ChecksumAsV2 ?? false,
    garp: {
      masterDelayUs: g.garpDelayUs ?? 5 * US_PER_S,
      masterRepeat: g.garpRepeat ?? 5,
      masterRefreshUs: g.garpRefreshUs ?? 0,
      masterRefreshRepeat: g.garpRefreshRepeat ?? 1,
    },
    strict: g.strict ?? false,
    skipCheckAdvAddr: g.skipCheckAdvAddr ?? false,
    checkUnicastSrc: g.checkUnicastSrc ?? false,
    lowerPrioNoAdvert: g.lowerPrioNoAdvert ?? false,
    higherPrioSendAdvert: g.higherPrioSendAdvert ?? false,
    enableScriptSecurity: g.enableScriptSecurity ?? false,
    notificationEmail: g.notificationEmail,
    notificationEmailFrom: g.notificationEmailFrom ?? `keepalived@${hostname}`,
    smtpConnectTimeoutUs: g.smtpConnectTimeoutUs ?? 30 * US_PER_S,
  };
  return {
    ...base,
    ...(g.scriptUser ? { scriptUser: g.scriptUser } : {}),
    ...(g.smtpServer ? { smtpServer: g.smtpServer } : {}),
  };
}

// ---------------------------------------------------------------- vrrp_script

function vrrpScript(out: Out, st: Statement): VrrpScript | undefined {
  const name = st.args[0];
  if (name === undefined) {
    err(out, st.keyword, 'vrrp_script', 'vrrp_script needs a name');
    return undefined;
  }
  const body = needBlock(out, st);
  if (!body) return undefined;
  let script: ScriptCommand | undefined;
  let intervalUs = US_PER_S;
  let timeoutUs: number | undefined;
  let weight = 0;
  let weightReverse = false;
  let rise = 1;
  let fall = 1;
  let user: ScriptUser | undefined;
  let initFail = false;
  for (const s of body) {
    const kw = s.keyword.text;
    switch (kw) {
      case 'script':
        script = scriptCommand(out, s, false);
        break;
      case 'interval':
      case 'timeout': {
        let v = intValue(out, s, 0, 4294);
        if (v === undefined) break;
        if (v === 0) {
          warn(out, s.args[0] ?? s.keyword, kw, `${kw} must be greater than 0, setting to 1`);
          v = 1;
        }
        if (kw === 'interval') intervalUs = v * US_PER_S;
        else timeoutUs = v * US_PER_S;
        break;
      }
      case 'weight': {
        const v = intValue(out, s, -253, 253);
        if (v !== undefined) weight = v;
        const opt = s.args[1];
        if (opt?.text === 'reverse') weightReverse = true;
        else if (opt) err(out, opt, kw, `unknown weight option '${opt.text}' (only 'reverse')`);
        break;
      }
      case 'rise':
      case 'fall': {
        const v = intValue(out, s, 1, 2 ** 31 - 1);
        if (v !== undefined) {
          if (kw === 'rise') rise = v;
          else fall = v;
        }
        break;
      }
      case 'user':
        if (needValue(out, s)) user = scriptUser(s.args.map((a) => a.text), s.args[0]!, kw);
        break;
      case 'init_fail':
        initFail = flag(out, s);
        break;
      default:
        unknown(out, s, ' in vrrp_script');
    }
  }
  if (!script) {
    // keepalived: "No script set for vrrp_script %s - removing"
    warn(out, name, 'vrrp_script', `no script set for vrrp_script ${name.text}; removed`);
    return undefined;
  }
  return {
    name: name.text, location: name, script, intervalUs, weight, weightReverse, rise, fall, initFail,
    ...(timeoutUs !== undefined ? { timeoutUs } : {}),
    ...(user ? { user } : {}),
  };
}

// ---------------------------------------------------------------- addresses, tracking, notify

const VIP_VALUE_OPTIONS = new Set(['brd', 'broadcast', 'dev', 'scope', 'label', 'peer', 'preferred_lft', 'track_group']);
const VIP_FLAG_OPTIONS = new Set(['no_track', 'home', '-nodad', 'nodad', 'noprefixroute', 'autojoin', 'mngtmpaddr']);

function virtualAddress(out: Out, line: Statement, kw: string): VirtualAddress | undefined {
  const first = line.keyword;
  const [addrText, prefixText] = first.text.split('/', 2);
  const ip = parseIp(addrText ?? '');
  if (!ip) {
    err(out, first, kw, `'${first.text}' is not an IPv4 or IPv6 address`);
    return undefined;
  }
  const maxPrefix = ip.family === 'ipv4' ? 32 : 128;
  let prefixLength = maxPrefix;
  if (prefixText !== undefined) {
    const p = /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!(p >= 0 && p <= maxPrefix)) {
      err(out, first, kw, `prefix length must be 0..${maxPrefix} (got '/${prefixText}')`);
      return undefined;
    }
    prefixLength = p;
  }
  const fields: { broadcast?: string; device?: string; scope?: string; label?: string } = {};
  const options: string[] = [];
  for (let i = 0; i < line.args.length; i++) {
    const w = line.args[i];
    if (w === undefined) break;
    if (VIP_VALUE_OPTIONS.has(w.text)) {
      const v = line.args[i + 1];
      if (v === undefined) {
        err(out, w, kw, `'${w.text}' needs a value`);
        break;
      }
      i++;
      if (w.text === 'brd' || w.text === 'broadcast') fields.broadcast = v.text;
      else if (w.text === 'dev') fields.device = v.text;
      else if (w.text === 'scope') fields.scope = v.text;
      else if (w.text === 'label') fields.label = v.text;
      else options.push(w.text, v.text);
    } else if (VIP_FLAG_OPTIONS.has(w.text)) {
      options.push(w.text);
    } else {
      // keepalived: "Unknown configuration entry '%s' for ip address - ignoring"
      warn(out, w, kw, `unknown address option '${w.text}'; ignored`);
    }
  }
  return { address: ip.address, family: ip.family, prefixLength, ...fields, options, location: first };
}

function weightedName(out: Out, line: Statement, kw: string): { name: string; weight?: number; reverse: boolean } {
  const name = line.keyword.text;
  const [w, value, rev] = line.args;
  if (w === undefined) return { name, reverse: false };
  if (w.text !== 'weight') {
    warn(out, w, kw, `unknown ${kw} option '${w.text}' for ${name}; ignored`);
    return { name, reverse: false };
  }
  const weight = intValue(out, { ...line, keyword: { ...line.keyword, text: `${kw} weight` } }, -254, 254, value ?? undefined);
  if (value === undefined) err(out, w, kw, `weight for ${name} needs a value`);
  let reverse = false;
  if (rev?.text === 'reverse') reverse = true;
  else if (rev) warn(out, rev, kw, `unknown weight option '${rev.text}'; ignored`);
  return weight === undefined ? { name, reverse } : { name, weight, reverse };
}

function trackInterfaces(out: Out, st: Statement): TrackedInterface[] {
  return (st.block?.statements ?? []).map((line) => {
    const t = weightedName(out, line, st.keyword.text);
    return { name: t.name, weight: t.weight ?? 0, weightReverse: t.reverse };
  });
}

function trackScripts(out: Out, st: Statement): { tracked: TrackedScript; at: Word }[] {
  return (st.block?.statements ?? []).map((line) => {
    const t = weightedName(out, line, st.keyword.text);
    const tracked: TrackedScript = t.weight === undefined
      ? { name: t.name, weightReverse: t.reverse }
      : { name: t.name, weight: t.weight, weightReverse: t.reverse };
    return { tracked, at: line.keyword };
  });
}

type NotifyKey = keyof NotifyScripts;
const NOTIFY_KEYS: Readonly<Record<string, NotifyKey>> = {
  notify_master: 'master', notify_backup: 'backup', notify_fault: 'fault', notify_stop: 'stop', notify: 'any',
};

function notifyLine(out: Out, st: Statement, notify: { -readonly [K in NotifyKey]?: ScriptCommand }): void {
  const key = NOTIFY_KEYS[st.keyword.text];
  if (key === undefined) return;
  if (notify[key]) {
    warn(out, st.keyword, st.keyword.text, `${st.keyword.text} script already specified; ignored`);
    return;
  }
  const cmd = scriptCommand(out, st, true);
  if (cmd) notify[key] = cmd;
}

// ---------------------------------------------------------------- vrrp_instance

interface InstanceDraft {
  name: Word;
  /** A keyword was written but its value was rejected (already reported): no follow-on "missing" error. */
  rejected: Set<string>;
  state?: 'MASTER' | 'BACKUP';
  stateAt?: Word;
  iface?: string;
  ifaceAt?: Word;
  vrid?: number;
  vridAt?: Word;
  priority?: number;
  priorityAt?: Word;
  advertUs?: number;
  advertAt?: Word;
  version?: VrrpVersion;
  nopreempt: boolean;
  nopreemptAt?: Word;
  preemptDelayUs: number;
  preemptDelayAt?: Word;
  authType?: 'PASS' | 'AH';
  authPass?: string;
  authAt?: Word;
  vips: VirtualAddress[];
  evips: VirtualAddress[];
  vipAt?: Word;
  family?: Family;
  unicastSrcIp?: IpAddress;
  unicastPeers: IpAddress[];
  unicastPeerAt?: Word;
  mcastSrcIp?: IpAddress;
  trackInterfaces: TrackedInterface[];
  trackScripts: { tracked: TrackedScript; at: Word }[];
  notify: { -readonly [K in NotifyKey]?: ScriptCommand };
  garp: { -readonly [K in keyof GarpSettings]?: number };
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  accept?: boolean;
  acceptAt?: Word;
  strict?: boolean;
  dontTrackPrimary: boolean;
  smtpAlert?: boolean;
  v3ChecksumAsV2?: boolean;
  skipCheckAdvAddr?: boolean;
  checkUnicastSrc?: boolean;
}

function setFamily(out: Out, d: InstanceDraft, family: Family, at: Word, kw: string): boolean {
  if (d.family === undefined) {
    d.family = family;
    return true;
  }
  if (d.family !== family) {
    // keepalived: "address family must match VRRP instance [%s] - ignoring"
    warn(out, at, kw, `${at.text} is ${family === 'ipv4' ? 'IPv4' : 'IPv6'} but ${d.name.text} is ${d.family === 'ipv4' ? 'IPv4' : 'IPv6'}; ignored`);
    return false;
  }
  return true;
}

function vrrpInstance(out: Out, st: Statement): InstanceDraft | undefined {
  const name = st.args[0];
  if (name === undefined) {
    err(out, st.keyword, 'vrrp_instance', 'vrrp_instance needs a name');
    return undefined;
  }
  const body = needBlock(out, st);
  if (!body) return undefined;
  const d: InstanceDraft = {
    name, rejected: new Set(), nopreempt: false, preemptDelayUs: 0, vips: [], evips: [], unicastPeers: [], trackInterfaces: [],
    trackScripts: [], notify: {}, garp: {}, dontTrackPrimary: false,
  };
  for (const s of body) {
    const kw = s.keyword.text;
    const before = out.length;
    instanceKeyword(out, d, s, kw);
    if (out.slice(before).some((x) => x.severity === 'error')) d.rejected.add(kw);
  }
  return d;
}

function instanceKeyword(out: Out, d: InstanceDraft, s: Statement, kw: string): void {
  {
    switch (kw) {
      case 'state': {
        const v = needValue(out, s);
        if (!v) break;
        if (v.text !== 'MASTER' && v.text !== 'BACKUP') {
          err(out, v, kw, `state must be MASTER or BACKUP (got '${v.text}')`);
          break;
        }
        if (v.text === 'BACKUP' && d.state === 'MASTER') {
          warn(out, v, kw, 'state previously set as MASTER; BACKUP ignored');
          break;
        }
        d.state = v.text;
        d.stateAt = v;
        break;
      }
      case 'interface': {
        const v = needValue(out, s);
        if (!v) break;
        if (v.text.length >= 16) {
          err(out, v, kw, `interface name '${v.text}' is too long (at most 15 characters)`);
          break;
        }
        d.iface = v.text;
        d.ifaceAt = v;
        break;
      }
      case 'virtual_router_id': {
        const v = intValue(out, s, 1, 255);
        if (v !== undefined) {
          d.vrid = v;
          d.vridAt = s.args[0];
        }
        break;
      }
      case 'priority': {
        const v = intValue(out, s, 1, 255);
        if (v !== undefined) {
          d.priority = v;
          d.priorityAt = s.args[0];
        }
        break;
      }
      case 'advert_int': {
        // keepalived reads it with 10 ms resolution... but keeps µs and rounds per version later.
        const v = secondsValue(out, s, 0.01, 255);
        if (v !== undefined) {
          d.advertUs = v;
          d.advertAt = s.args[0];
        }
        break;
      }
      case 'version': {
        const v = intValue(out, s, 2, 3);
        if (v !== undefined) d.version = v as VrrpVersion;
        break;
      }
      case 'nopreempt':
        d.nopreempt = flag(out, s);
        d.nopreemptAt = s.keyword;
        break;
      case 'preempt':
        d.nopreempt = !flag(out, s);
        break;
      case 'preempt_delay': {
        const v = secondsValue(out, s, 0, 1000);
        if (v !== undefined) {
          d.preemptDelayUs = v;
          d.preemptDelayAt = s.keyword;
        }
        break;
      }
      case 'authentication':
        for (const a of needBlock(out, s) ?? []) {
          if (a.keyword.text === 'auth_type') {
            const v = needValue(out, a);
            if (!v) continue;
            if (v.text !== 'PASS' && v.text !== 'AH') {
              err(out, v, 'auth_type', `auth_type must be PASS or AH (got '${v.text}')`);
              continue;
            }
            if (v.text === 'AH') {
              // keepalived implements IPsec AH (RFC 2402) for VRRPv2; hotstandby does not. Running without
              // it would send unauthenticated adverts that AH peers drop: refuse instead of half-working.
              err(out, v, 'auth_type', 'auth_type AH is not supported by hotstandby (use PASS, or none)');
              continue;
            }
            d.authType = v.text;
            d.authAt = a.keyword;
          } else if (a.keyword.text === 'auth_pass') {
            const v = needValue(out, a);
            if (!v) continue;
            let pass = v.text;
            if (pass.length > 8) {
              // keepalived: "Truncating auth_pass to 8 characters" — never echo the password.
              warn(out, v, 'auth_pass', 'auth_pass is longer than 8 characters; truncated to 8 (as keepalived does)');
              pass = pass.slice(0, 8);
            }
            d.authPass = pass;
          } else {
            unknown(out, a, ' in authentication');
          }
        }
        break;
      case 'virtual_ipaddress':
      case 'virtual_ipaddress_excluded':
        for (const line of needBlock(out, s) ?? []) {
          const vip = virtualAddress(out, line, kw);
          if (!vip) continue;
          if (kw === 'virtual_ipaddress') {
            if (!setFamily(out, d, vip.family, line.keyword, kw)) continue;
            d.vips.push(vip);
            d.vipAt ??= line.keyword;
          } else {
            d.evips.push(vip); // eVIPs may mix families (keepalived)
          }
        }
        break;
      case 'unicast_src_ip':
      case 'mcast_src_ip': {
        const ip = ipValue(out, s);
        if (!ip || !setFamily(out, d, ip.family, s.args[0] ?? s.keyword, kw)) break;
        if (kw === 'unicast_src_ip') d.unicastSrcIp = ip.address;
        else d.mcastSrcIp = ip.address;
        break;
      }
      case 'unicast_peer':
        for (const line of needBlock(out, s) ?? []) {
          const ip = ipValue(out, { ...line, keyword: { ...line.keyword, text: 'unicast_peer' }, args: [line.keyword] });
          if (!ip || !setFamily(out, d, ip.family, line.keyword, kw)) continue;
          for (const extra of line.args) warn(out, extra, kw, `unicast_peer option '${extra.text}' is not supported by hotstandby; ignored`);
          d.unicastPeers.push(ip.address);
          d.unicastPeerAt ??= line.keyword;
        }
        break;
      case 'track_interface':
        if (needBlock(out, s)) d.trackInterfaces.push(...trackInterfaces(out, s));
        break;
      case 'track_script':
        if (needBlock(out, s)) d.trackScripts.push(...trackScripts(out, s));
        break;
      case 'notify_master':
      case 'notify_backup':
      case 'notify_fault':
      case 'notify_stop':
      case 'notify':
        notifyLine(out, s, d.notify);
        break;
      case 'garp_master_delay': {
        const v = intValue(out, s, 0, 4294);
        if (v !== undefined) d.garp.masterDelayUs = v * US_PER_S;
        break;
      }
      case 'garp_master_refresh': {
        const v = intValue(out, s, 0, 2 ** 31 - 1);
        if (v !== undefined) d.garp.masterRefreshUs = v * US_PER_S;
        break;
      }
      case 'garp_master_repeat':
      case 'garp_master_refresh_repeat': {
        let v = intValue(out, s, 0, 2 ** 31 - 1);
        if (v === undefined) break;
        if (v === 0) {
          warn(out, s.args[0] ?? s.keyword, kw, `${kw} must be greater than 0, setting to 1`);
          v = 1;
        }
        if (kw === 'garp_master_repeat') d.garp.masterRepeat = v;
        else d.garp.masterRefreshRepeat = v;
        break;
      }
      case 'lower_prio_no_advert':
      case 'higher_prio_send_advert':
      case 'strict_mode':
      case 'smtp_alert':
      case 'v3_checksum_as_v2':
      case 'skip_check_adv_addr': {
        const b = boolValue(out, s);
        if (b === undefined) break;
        if (kw === 'lower_prio_no_advert') d.lowerPrioNoAdvert = b;
        else if (kw === 'higher_prio_send_advert') d.higherPrioSendAdvert = b;
        else if (kw === 'strict_mode') d.strict = b;
        else if (kw === 'smtp_alert') d.smtpAlert = b;
        else if (kw === 'v3_checksum_as_v2') d.v3ChecksumAsV2 = b;
        else d.skipCheckAdvAddr = b;
        break;
      }
      case 'check_unicast_src':
        d.checkUnicastSrc = flag(out, s);
        break;
      case 'accept':
      case 'no_accept':
        d.accept = kw === 'accept' && flag(out, s);
        d.acceptAt = s.keyword;
        break;
      case 'dont_track_primary':
        d.dontTrackPrimary = flag(out, s);
        break;
      default:
        if (UNSUPPORTED_INSTANCE.has(kw)) unsupported(out, s);
        else unknown(out, s, ' in vrrp_instance');
    }
  }
}

/** keepalived vrrp_complete_instance(): defaults, derived values, and its consistency rules. */
function completeInstance(out: Out, d: InstanceDraft, g: GlobalDefs): VrrpInstance | undefined {
  const n = d.name.text;
  const kw = 'vrrp_instance';
  const strict = d.strict ?? g.strict;
  const family: Family = d.family ?? 'ipv4';

  let version: VrrpVersion = d.version ?? (family === 'ipv6' ? 3 : g.vrrpVersion);
  if (family === 'ipv6' && version === 2) {
    if (strict) {
      warn(out, d.name, kw, `(${n}) cannot use IPv6 with VRRP version 2; setting version 3`);
      version = 3;
    } else {
      // keepalived would send non-standard VRRPv2 over IPv6; RFC 3768 is IPv4 only and so is our v2 codec.
      err(out, d.name, kw, `(${n}) IPv6 virtual addresses need VRRP version 3 (RFC 3768 VRRPv2 is IPv4 only)`);
      return undefined;
    }
  }

  const vipRejected = d.rejected.has('virtual_ipaddress');
  if (d.vips.length === 0 && vipRejected) return undefined;
  if (d.vips.length === 0 && (version === 3 || family === 'ipv6' || strict)) {
    err(out, d.name, kw, `(${n}) no virtual_ipaddress specified; at least one is required`);
    return undefined;
  }
  if (d.vips.length === 0) warn(out, d.name, kw, `(${n}) no virtual_ipaddress specified`);

  // "If no priority has been set, derive it from the initial state" and vice versa.
  let priority = d.priority ?? (d.state === 'MASTER' ? OWNER : 100);
  let initialState: 'MASTER' | 'BACKUP' = d.state ?? (priority === OWNER ? 'MASTER' : 'BACKUP');
  if (d.state !== undefined && (initialState === 'MASTER') !== (priority === OWNER)) {
    if (strict) {
      warn(out, d.stateAt ?? d.name, 'state', `(${n}) state MASTER must match being address owner (priority 255) in strict mode; state set to ${priority === OWNER ? 'MASTER' : 'BACKUP'}`);
      initialState = priority === OWNER ? 'MASTER' : 'BACKUP';
    } else if (priority === OWNER) {
      warn(out, d.priorityAt ?? d.name, 'priority', `(${n}) priority 255 makes this router the address owner: it takes over as MASTER at once despite state BACKUP`);
    }
  }

  let authentication: Authentication | undefined;
  if (d.authType !== undefined) {
    const at = d.authAt ?? d.name;
    if (strict) warn(out, at, 'auth_type', `(${n}) strict mode does not support authentication; ignored`);
    else if (version === 3) warn(out, at, 'auth_type', `(${n}) VRRP version 3 does not support authentication; ignored`);
    else if (!d.authPass) warn(out, at, 'auth_type', `(${n}) authentication specified but no auth_pass given; ignored`);
    else if (family === 'ipv6' && d.authType === 'AH') warn(out, at, 'auth_type', `(${n}) cannot use AH authentication with IPv6; ignored`);
    else {
      authentication = { type: d.authType, password: d.authPass };
      if (d.authType === 'AH' && initialState === 'MASTER' && priority !== OWNER) {
        warn(out, at, 'auth_type', `(${n}) initial state MASTER is incompatible with AH authentication; state set to BACKUP`);
        initialState = 'BACKUP';
      }
    }
  } else if (d.authPass !== undefined) {
    warn(out, d.name, 'auth_pass', `(${n}) auth_pass without auth_type; ignored`);
  }

  if (d.vrid === undefined && d.rejected.has('virtual_router_id')) return undefined;
  if (d.iface === undefined && d.rejected.has('interface')) return undefined;
  if (d.vrid === undefined) {
    err(out, d.name, kw, `(${n}) the virtual router id must be set (virtual_router_id 1..255)`);
    return undefined;
  }
  if (d.iface === undefined) {
    err(out, d.name, kw, d.unicastPeers.length === 0
      ? `(${n}) no interface specified`
      : `(${n}) no interface specified; hotstandby needs one even with unicast peers`);
    return undefined;
  }
  if (strict && d.unicastPeers.length > 0) {
    err(out, d.unicastPeerAt ?? d.name, 'unicast_peer', `(${n}) unicast peers are not supported in strict mode`);
    return undefined;
  }

  if (family === 'ipv6' && d.unicastPeers.length === 0 && d.vips[0] && !d.vips[0].address.startsWith('fe80:')) {
    warn(out, d.vips[0].location, 'virtual_ipaddress', `(${n}) the first IPv6 virtual address must be link local (RFC 9568 §5.2.9)`);
  }

  let vips = d.vips;
  let evips = d.evips;
  if (vips.length > VRRP_MAX_ADDR) {
    warn(out, d.vipAt ?? d.name, 'virtual_ipaddress', `(${n}) ${vips.length} virtual addresses exceed the ${VRRP_MAX_ADDR} an advertisement can carry; the excess is treated as virtual_ipaddress_excluded`);
    evips = [...evips, ...vips.slice(VRRP_MAX_ADDR)];
    vips = vips.slice(0, VRRP_MAX_ADDR);
  }

  let preempt = !d.nopreempt;
  let preemptDelayUs = d.preemptDelayUs;
  if (priority === OWNER && !preempt) {
    warn(out, d.nopreemptAt ?? d.name, 'nopreempt', `(${n}) nopreempt is incompatible with priority 255; nopreempt cleared`);
    preempt = true;
  }
  if (initialState === 'MASTER') {
    if (!preempt) {
      warn(out, d.nopreemptAt ?? d.name, 'nopreempt', `(${n}) nopreempt does not work with initial state MASTER; cleared`);
      preempt = true;
    }
    if (preemptDelayUs > 0) {
      warn(out, d.preemptDelayAt ?? d.name, 'preempt_delay', `(${n}) preempt_delay does not work with initial state MASTER; cleared`);
      preemptDelayUs = 0;
    }
  }
  if (preemptDelayUs > 0 && strict) {
    warn(out, d.preemptDelayAt ?? d.name, 'preempt_delay', `(${n}) preempt_delay is incompatible with strict mode; cleared`);
    preemptDelayUs = 0;
  }
  if (preemptDelayUs > 0 && !preempt) {
    warn(out, d.preemptDelayAt ?? d.name, 'preempt_delay', `(${n}) preempt_delay is incompatible with nopreempt; cleared`);
    preemptDelayUs = 0;
  }

  let accept = d.accept ?? !strict;
  if (accept && priority !== OWNER && strict && version === 2) {
    warn(out, d.acceptAt ?? d.name, 'accept', `(${n}) accept mode for VRRP version 2 does not comply with RFC 3768; cleared`);
    accept = false;
  }

  let lowerPrioNoAdvert = d.lowerPrioNoAdvert ?? (strict ? true : g.lowerPrioNoAdvert);
  if (strict && !lowerPrioNoAdvert) {
    warn(out, d.name, 'lower_prio_no_advert', `(${n}) strict mode requires lower_prio_no_advert; set`);
    lowerPrioNoAdvert = true;
  }
  let higherPrioSendAdvert = d.higherPrioSendAdvert ?? (strict ? false : g.higherPrioSendAdvert);
  if (strict && higherPrioSendAdvert) {
    warn(out, d.name, 'higher_prio_send_advert', `(${n}) strict mode requires higher_prio_send_advert to be clear; cleared`);
    higherPrioSendAdvert = false;
  }

  // Advertisement interval: v2 whole seconds below 256, v3 centiseconds below 4096 (keepalived rounds).
  let advertUs = d.advertUs ?? US_PER_S;
  const at = d.advertAt ?? d.name;
  if (version === 2) {
    if (advertUs >= 256 * US_PER_S) {
      warn(out, at, 'advert_int', `(${n}) VRRPv2 advert_int must be below 256 s; set to 255`);
      advertUs = 255 * US_PER_S;
    } else if (advertUs % US_PER_S !== 0) {
      const rounded = Math.max(1, Math.round(advertUs / US_PER_S));
      warn(out, at, 'advert_int', `(${n}) VRRPv2 advert_int ${advertUs / US_PER_S} s must be whole seconds (sub-second intervals need vrrp_version 3); rounded to ${rounded} s`);
      advertUs = rounded * US_PER_S;
    }
  } else if (advertUs >= 4096 * 10_000) {
    warn(out, at, 'advert_int', `(${n}) VRRPv3 advert_int must be below 40.96 s; set to 40.95`);
    advertUs = 4095 * 10_000;
  } else if (advertUs % 10_000 !== 0) {
    const rounded = Math.max(1, Math.round(advertUs / 10_000));
    warn(out, at, 'advert_int', `(${n}) VRRPv3 advert_int ${advertUs / US_PER_S} s must be in units of 10 ms; rounded to ${rounded / 100} s`);
    advertUs = rounded * 10_000;
  }

  let trackIfs = d.trackInterfaces.filter((t) => {
    if (t.name !== d.iface) return true;
    warn(out, d.name, 'track_interface', `(${n}) track_interface ${t.name} ignored: it is the instance's own interface`);
    return false;
  });
  let trackScripts = d.trackScripts;
  if (priority === OWNER) {
    trackIfs = trackIfs.filter((t) => {
      if (t.weight === 0) return true;
      warn(out, d.name, 'track_interface', `(${n}) weighted track_interface ${t.name} ignored: priority 255 (address owner) cannot change`);
      return false;
    });
    trackScripts = trackScripts.filter((t) => {
      if (t.tracked.weight === undefined || t.tracked.weight === 0) return true;
      warn(out, t.at, 'track_script', `(${n}) weighted track_script ${t.tracked.name} ignored: priority 255 (address owner) cannot change`);
      return false;
    });
  }
  priority = Math.min(priority, OWNER);

  return {
    name: n,
    location: d.name,
    initialState,
    interface: d.iface,
    vrid: d.vrid,
    priority,
    version,
    family,
    advertIntervalCs: advertUs / 10_000,
    preempt,
    preemptDelayUs,
    ...(authentication ? { authentication } : {}),
    virtualIpAddresses: vips,
    excludedVirtualIpAddresses: evips,
    ...(d.unicastSrcIp !== undefined ? { unicastSrcIp: d.unicastSrcIp } : {}),
    unicastPeers: d.unicastPeers,
    ...(d.mcastSrcIp !== undefined ? { mcastSrcIp: d.mcastSrcIp } : {}),
    trackInterfaces: trackIfs,
    trackScripts: trackScripts.map((t) => t.tracked),
    notify: d.notify,
    garp: {
      masterDelayUs: d.garp.masterDelayUs ?? g.garp.masterDelayUs,
      masterRepeat: d.garp.masterRepeat ?? g.garp.masterRepeat,
      masterRefreshUs: d.garp.masterRefreshUs ?? g.garp.masterRefreshUs,
      masterRefreshRepeat: d.garp.masterRefreshRepeat ?? g.garp.masterRefreshRepeat,
    },
    lowerPrioNoAdvert,
    higherPrioSendAdvert,
    accept,
    strict,
    dontTrackPrimary: d.dontTrackPrimary,
    smtpAlert: d.smtpAlert ?? false,
    v3ChecksumAsV2: d.v3ChecksumAsV2 ?? g.v3ChecksumAsV2,
    skipCheckAdvAddr: d.skipCheckAdvAddr ?? g.skipCheckAdvAddr,
    checkUnicastSrc: d.checkUnicastSrc ?? (g.checkUnicastSrc && d.unicastPeers.length > 0),
  };
}

// ---------------------------------------------------------------- vrrp_sync_group

interface SyncDraft {
  name: Word;
  members: Word[];
  notify: { -readonly [K in NotifyKey]?: ScriptCommand };
  trackInterfaces: TrackedInterface[];
  trackScripts: { tracked: TrackedScript; at: Word }[];
  smtpAlert: boolean;
}

function syncGroup(out: Out, st: Statement): SyncDraft | undefined {
  const name = st.args[0];
  if (name === undefined) {
    err(out, st.keyword, 'vrrp_sync_group', 'vrrp_sync_group needs a name');
    return undefined;
  }
  const body = needBlock(out, st);
  if (!body) return undefined;
  const d: SyncDraft = { name, members: [], notify: {}, trackInterfaces: [], trackScripts: [], smtpAlert: false };
  let hadGroup = false;
  for (const s of body) {
    const kw = s.keyword.text;
    switch (kw) {
      case 'group':
        if (hadGroup) {
          warn(out, s.keyword, kw, `group list already specified for sync group ${name.text}; ignored`);
          break;
        }
        hadGroup = true;
        if (needBlock(out, s)) d.members.push(...blockWords(s));
        break;
      case 'notify_master':
      case 'notify_backup':
      case 'notify_fault':
      case 'notify_stop':
      case 'notify':
        notifyLine(out, s, d.notify);
        break;
      case 'track_interface':
        if (needBlock(out, s)) d.trackInterfaces.push(...trackInterfaces(out, s));
        break;
      case 'track_script':
        if (needBlock(out, s)) d.trackScripts.push(...trackScripts(out, s));
        break;
      case 'smtp_alert': {
        const b = boolValue(out, s);
        if (b !== undefined) d.smtpAlert = b;
        break;
      }
      default:
        if (UNSUPPORTED_SYNC_GROUP.has(kw)) unsupported(out, s);
        else unknown(out, s, ' in vrrp_sync_group');
    }
  }
  return d;
}

// ---------------------------------------------------------------- the whole file

export function interpret(statements: readonly Statement[], options: InterpretOptions): InterpretResult {
  const out: Out = [];
  const g: GlobalDraft = { notificationEmail: [] };
  const scripts = new Map<string, VrrpScript>();
  const drafts: InstanceDraft[] = [];
  const syncDrafts: SyncDraft[] = [];

  for (const st of statements) {
    const kw = st.keyword.text;
    switch (kw) {
      case 'global_defs': {
        const body = needBlock(out, st);
        if (body) globalDefs(out, body, g);
        break;
      }
      case 'vrrp_script': {
        const s = vrrpScript(out, st);
        if (!s) break;
        if (scripts.has(s.name)) warn(out, s.location, kw, `vrrp_script ${s.name} already defined; this one ignored`);
        else scripts.set(s.name, s);
        break;
      }
      case 'vrrp_instance': {
        const d = vrrpInstance(out, st);
        if (!d) break;
        // keepalived: "vrrp instance %s already defined" and the block is skipped.
        if (drafts.some((o) => o.name.text === d.name.text)) warn(out, d.name, kw, `vrrp_instance ${d.name.text} already defined; this one ignored`);
        else drafts.push(d);
        break;
      }
      case 'vrrp_sync_group': {
        const d = syncGroup(out, st);
        if (!d) break;
        if (syncDrafts.some((o) => o.name.text === d.name.text)) warn(out, d.name, kw, `vrrp sync group ${d.name.text} already defined; this one ignored`);
        else syncDrafts.push(d);
        break;
      }
      default:
        if (UNSUPPORTED_ROOT.has(kw)) unsupported(out, st);
        else unknown(out, st, '');
    }
  }

  const global = finishGlobal(g, options.hostname);

  // Tracked scripts must exist (keepalived: "track script %s not found, ignoring...").
  const checkScripts = (list: { tracked: TrackedScript; at: Word }[], owner: string): { tracked: TrackedScript; at: Word }[] =>
    list.filter((t) => {
      if (scripts.has(t.tracked.name)) return true;
      warn(out, t.at, 'track_script', `(${owner}) track script ${t.tracked.name} not found; ignored`);
      return false;
    });
  for (const d of drafts) d.trackScripts = checkScripts(d.trackScripts, d.name.text);
  for (const s of syncDrafts) s.trackScripts = checkScripts(s.trackScripts, s.name.text);

  const completed: VrrpInstance[] = [];
  for (const d of drafts) {
    const inst = completeInstance(out, d, global);
    if (inst) completed.push(inst);
  }

  // keepalived vrrp_complete_init(): one VRID per interface and address family.
  const seen = new Map<string, VrrpInstance>();
  for (const inst of completed) {
    const key = `${inst.interface}/${inst.family}/${inst.vrid}`;
    const first = seen.get(key);
    if (first) {
      const at = drafts.find((dd) => dd.name.text === inst.name)?.vridAt ?? inst.location;
      err(out, at, 'virtual_router_id', `(${inst.name}) VRID ${inst.vrid} is already used by ${first.name} on interface ${inst.interface} (${inst.family === 'ipv4' ? 'IPv4' : 'IPv6'})`);
    } else {
      seen.set(key, inst);
    }
  }

  // Sync groups: members must exist, belong to one group only; groups of fewer than 2 are dropped.
  const byName = new Map(completed.map((i) => [i.name, i]));
  const memberOf = new Map<string, string>();
  const syncGroups: SyncGroup[] = [];
  for (const s of syncDrafts) {
    const members: string[] = [];
    for (const m of s.members) {
      if (!drafts.some((d) => d.name.text === m.text)) {
        warn(out, m, 'group', `virtual router ${m.text} specified in sync group ${s.name.text} doesn't exist; ignored`);
        continue;
      }
      const other = memberOf.get(m.text);
      if (other !== undefined) {
        err(out, m, 'group', `${m.text} is already a member of sync group ${other}`);
        continue;
      }
      memberOf.set(m.text, s.name.text);
      if (byName.has(m.text)) members.push(m.text);
    }
    if (members.length < 2) {
      warn(out, s.name, 'vrrp_sync_group', `sync group ${s.name.text} has ${members.length} member(s); removed`);
      continue;
    }
    syncGroups.push({
      name: s.name.text, location: s.name, instances: members, notify: s.notify,
      trackInterfaces: s.trackInterfaces, trackScripts: s.trackScripts.map((t) => t.tracked), smtpAlert: s.smtpAlert,
    });
  }
  const instances = completed.map((i) => {
    const group = memberOf.get(i.name);
    return group !== undefined && syncGroups.some((s) => s.name === group) ? { ...i, syncGroup: group } : i;
  });

  return {
    config: { global, scripts: [...scripts.values()], instances, syncGroups, files: options.files ?? [] },
    diagnostics: out,
  };
}
