// What the config loader tells the user: a problem at a place, like a compiler (and like `keepalived -t`,
// which prints "(file:line) message"). Errors mean "this config must not run"; warnings mean keepalived
// would still run it (possibly after ignoring or correcting something) and so do we.

export type Severity = 'error' | 'warning';

/** A place in a config file. line and column are 1-based; column counts UTF-16 code units. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The keyword of the statement the problem belongs to ('' when there is none, e.g. a stray '}'). */
  readonly keyword: string;
  /** Human-readable. Never contains a secret (auth_pass). */
  readonly message: string;
}

export function diagnostic(
  severity: Severity,
  at: SourceLocation,
  keyword: string,
  message: string,
): Diagnostic {
  return { severity, file: at.file, line: at.line, column: at.column, keyword, message };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
