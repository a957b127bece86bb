// The config loader's front door: read (with includes) → lex → parse → interpret, plus the
// `vrrp-node -t` check that prints diagnostics like a compiler (FILE:LINE:COL: error: message).

import { hasErrors } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { readConfigLines } from './include.js';
import type { ConfigReader } from './include.js';
import { interpret } from './interpret.js';
import type { KeepalivedConfig } from './model.js';
import { parse } from './parse.js';
import type { Statement } from './parse.js';
import { resolveScriptUsers } from './script-users.js';
import type { ScriptHost } from './script-users.js';

export interface LoadOptions extends ConfigReader {
  /** keepalived uses the host name as default router_id. */
  readonly hostname: string;
  /** keepalived's `-i` config id, for `@ID` conditional lines. */
  readonly configId?: string;
  /** Accounts and file checks for script users and enable_script_security; absent: not checked (scripts run as us). */
  readonly scriptHost?: ScriptHost;
}

export interface LoadResult {
  /** Present when there is no error (warnings allowed), as keepalived would run the config. */
  readonly config?: KeepalivedConfig;
  /** In file reading order, then line, then column. */
  readonly diagnostics: readonly Diagnostic[];
}

const REDACTED = '********';

export function loadConfig(path: string, options: LoadOptions): LoadResult {
  const read = readConfigLines(path, options, options.configId !== undefined ? { configId: options.configId } : {});
  const parsed = parse(read.lines);
  const interpreted = interpret(parsed.statements, { hostname: options.hostname, files: read.files });
  const enableAt = parsed.statements.filter((s) => s.keyword.text === 'global_defs').flatMap((s) => s.block?.statements ?? []).find((s) => s.keyword.text === 'enable_script_security')?.keyword;
  const users = interpreted.config && options.scriptHost ? resolveScriptUsers(interpreted.config, options.scriptHost, enableAt ? { enableAt } : {}) : undefined;
  const secrets = collectSecrets(parsed.statements);
  const order = new Map(read.files.map((f, i) => [f, i]));
  const diagnostics = [...read.diagnostics, ...parsed.diagnostics, ...interpreted.diagnostics, ...(users?.diagnostics ?? [])]
    .map((d) => redact(d, secrets))
    .map((d, i) => ({ d, i }))
    .sort((a, b) =>
      (order.get(a.d.file) ?? -1) - (order.get(b.d.file) ?? -1) || a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
    .map(({ d }) => d);
  return hasErrors(diagnostics) ? { diagnostics } : { config: users?.config ?? interpreted.config, diagnostics };
}

/** `FILE:LINE:COL: error: message` — the shape editors and CI logs understand. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

export interface CheckResult {
  /** 0 when the config has no error (warnings are fine), 1 otherwise — `vrrp-node -t`'s exit code. */
  readonly exitCode: 0 | 1;
  /** What to print (stderr): one line per diagnostic, then a summary. */
  readonly lines: readonly string[];
  readonly result: LoadResult;
}

export function checkConfig(path: string, options: LoadOptions): CheckResult {
  const result = loadConfig(path, options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = result.diagnostics.length - errors;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = errors > 0
    ? `${path}: configuration has ${plural(errors, 'error')} and ${plural(warnings, 'warning')}`
    : `${path}: configuration OK (${plural(result.config?.instances.length ?? 0, 'instance')}, ${plural(warnings, 'warning')})`;
  return { exitCode: errors > 0 ? 1 : 0, lines: [...result.diagnostics.map(formatDiagnostic), summary], result };
}

function collectSecrets(statements: readonly Statement[]): string[] {
  const found: string[] = [];
  const walk = (list: readonly Statement[]): void => {
    for (const s of list) {
      if (s.keyword.text === 'auth_pass') for (const a of s.args) if (a.text !== '') found.push(a.text);
      if (s.block) walk(s.block.statements);
    }
  };
  walk(statements);
  // Longest first so a password that contains another is fully hidden.
  return found.sort((a, b) => b.length - a.length);
}

/** Belt and braces: no message may echo an auth_pass value, whatever produced it. */
function redact(d: Diagnostic, secrets: readonly string[]): Diagnostic {
  // Very short passwords are only hidden in authentication messages, so "1" does not blank every digit.
  const authMessage = d.keyword === 'auth_pass' || d.keyword === 'auth_type' || d.keyword === 'authentication';
  let message = d.message;
  for (const s of secrets) if (authMessage || s.length >= 4) message = message.split(s).join(REDACTED);
  return message === d.message ? d : { ...d, message };
}
