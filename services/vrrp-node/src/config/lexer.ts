// keepalived.conf lexing, following keepalived's lib/parser.c (read_line, decomment, alloc_strvec_r).
//
// keepalived is line oriented: a statement is a keyword and its arguments up to the end of the line, or
// up to a '{' / '}' — read_line() splits a line at any brace that is not inside double quotes, so
// `virtual_ipaddress { 10.0.0.1 }` on one line is three lines to keepalived. Rules reproduced here:
//  - '#' and '!' start a comment anywhere outside double quotes, even inside a word (decomment()).
//    A backslash escapes them: `\#` is a literal '#'.
//  - Words are separated by whitespace. A double-quoted string is one word without its quotes, with no
//    escape processing; a '"' also ends an unquoted word (alloc_strvec_r). Single quotes are ordinary.
//  - There is no general line continuation: a trailing '\' only continues `$NAME=` definitions.
//  - Script keywords (script, notify*) re-split their raw text with both quote kinds and backslash
//    escapes (alloc_strvec_quoted_escaped): see splitQuotedEscaped().

import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';

export type TokenKind = 'word' | 'open' | 'close';

export interface Token {
  readonly kind: TokenKind;
  /** The word's value (quotes removed, `\#` unescaped); '{' or '}' for braces. */
  readonly text: string;
  readonly quoted: boolean;
  readonly file: string;
  readonly line: number;
  /** 1-based column of the token's first character (the opening quote for a quoted word). */
  readonly column: number;
  /** 0-based offsets of the token in its line's text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface LexedLine {
  readonly file: string;
  readonly line: number;
  /** The line without its comment and trailing whitespace; columns of tokens index into it. */
  readonly text: string;
  readonly tokens: readonly Token[];
}

export interface StrippedLine {
  /** The line cut at its comment, trailing blanks removed, leading blanks kept (columns stay true). */
  readonly text: string;
  /** The line ended with a '\' (removed from text). */
  readonly continued: boolean;
  /** 0-based index of a double quote that is never closed. */
  readonly unterminatedQuote?: number;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r' || c === '\n';

/** keepalived decomment(): find the comment start outside double quotes, note a trailing '\'. */
export function stripComment(raw: string): StrippedLine {
  let inQuote = false;
  let quoteAt = -1;
  let cut = raw.length;
  let continued = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') {
      inQuote = !inQuote;
      quoteAt = i;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= raw.length) {
        continued = true;
        cut = i;
        break;
      }
      i++; // the escaped character is never a comment start or a quote toggle for decomment()
      continue;
    }
    if (!inQuote && (c === '#' || c === '!')) {
      cut = i;
      break;
    }
  }
  let end = cut;
  while (end > 0 && isBlank(raw[end - 1])) end--;
  const text = raw.slice(0, end);
  return inQuote ? { text, continued, unterminatedQuote: quoteAt } : { text, continued };
}

/** keepalived alloc_strvec_r() plus read_line()'s brace splitting, on an already comment-stripped line. */
export function tokenizeLine(
  text: string,
  file: string,
  line: number,
  options: { readonly braces?: boolean } = {},
): { tokens: Token[]; diagnostics: Diagnostic[] } {
  // read_line() looks for `include` before it splits at braces, so `include a/{b,c}.conf` keeps its
  // braces: callers pass braces: false to see a line the way check_include() sees it.
  const braces = options.braces ?? true;
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (start: number): { file: string; line: number; column: number } => ({ file, line, column: start + 1 });
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (braces && (c === '{' || c === '}')) {
      tokens.push({ kind: c === '{' ? 'open' : 'close', text: c, quoted: false, file, line, column: i + 1, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) {
        // keepalived: "Unmatched quote" and the rest of the line is dropped.
        diagnostics.push(diagnostic('error', at(i), tokens[0]?.text ?? '', 'unterminated double quote; the rest of the line is ignored'));
        break;
      }
      tokens.push({ kind: 'word', text: text.slice(i + 1, close), quoted: true, file, line, column: i + 1, start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    const start = i;
    let value = '';
    while (i < text.length) {
      const d = text[i];
      if (d === undefined || isBlank(d) || d === '"' || (braces && (d === '{' || d === '}'))) break;
      if (d === '\\' && (text[i + 1] === '#' || text[i + 1] === '!')) {
        value += text[i + 1];
        i += 2;
        continue;
      }
      value += d;
      i++;
    }
    tokens.push({ kind: 'word', text: value, quoted: false, file, line, column: start + 1, start, end: i });
  }
  return { tokens, diagnostics };
}

/** Lex one physical line: comment, trailing backslash, tokens. */
export function lexLine(raw: string, file: string, line: number): { lexed: LexedLine; diagnostics: Diagnostic[] } {
  const stripped = stripComment(raw);
  const diagnostics: Diagnostic[] = [];
  if (stripped.continued) {
    diagnostics.push(
      diagnostic('warning', { file, line, column: stripped.text.length + 1 }, '',
        "keepalived does not continue lines ending in '\\' (only $NAME= definitions); the line ends here"),
    );
  }
  const { tokens, diagnostics: tokenDiagnostics } = tokenizeLine(stripped.text, file, line);
  diagnostics.push(...tokenDiagnostics);
  return { lexed: { file, line, text: stripped.text, tokens }, diagnostics };
}

/** Split a whole file into physical lines (LF, CRLF or CR) and lex each one. */
export function splitLines(source: string): string[] {
  return source.split(/\r\n|\n|\r/);
}

export function lexSource(source: string, file: string): { lines: LexedLine[]; diagnostics: Diagnostic[] } {
  const lines: LexedLine[] = [];
  const diagnostics: Diagnostic[] = [];
  splitLines(source).forEach((raw, index) => {
    const r = lexLine(raw, file, index + 1);
    if (r.lexed.tokens.length > 0) lines.push(r.lexed);
    diagnostics.push(...r.diagnostics);
  });
  return { lines, diagnostics };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/**
 * keepalived alloc_strvec_quoted_escaped(): words separated by unquoted whitespace; "…" and '…' quote
 * (and may be glued to surrounding text: `ab"c d"e` is one word `abc de`); backslash escapes \a \b \E \f
 * \n \r \t \v \nnn (octal) \xXX (hex) \cC (control) and \C (C itself) work inside and outside quotes.
 * Used for script command lines and their arguments.
 */
export function splitQuotedEscaped(text: string): { ok: true; words: string[] } | { ok: false; reason: string } {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isBlank(text[i])) i++;
    if (i >= text.length) break;
    let word = '';
    let quote: '"' | "'" | undefined;
    while (i < text.length) {
      const c = text[i] ?? '';
      if (quote === undefined && isBlank(c)) break;
      if (c === '\\') {
        i++;
        if (i >= text.length) return { ok: false, reason: 'missing escaped character after a final backslash' };
        const e = text[i] ?? '';
        if (e === 'x' && /[0-9a-fA-F]/.test(text[i + 1] ?? '')) {
          let hex = '';
          i++;
          while (hex.length < 2 && /[0-9a-fA-F]/.test(text[i] ?? '')) hex += text[i++];
          word += String.fromCharCode(parseInt(hex, 16));
        } else if (e === 'c' && i + 1 < text.length) {
          word += String.fromCharCode((text.charCodeAt(i + 1) & 0x1f));
          i += 2;
        } else if (e >= '0' && e <= '7') {
          let oct = '';
          while (oct.length < 3 && (text[i] ?? '') >= '0' && (text[i] ?? '') <= '7') oct += text[i++];
          word += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else {
          word += SIMPLE_ESCAPES[e] ?? e;
          i++;
        }
        continue;
      }
      if (quote !== undefined && c === quote) {
        quote = undefined;
        i++;
        continue;
      }
      if (quote === undefined && (c === '"' || c === "'")) {
        quote = c;
        i++;
        continue;
      }
      word += c;
      i++;
    }
    if (quote !== undefined) return { ok: false, reason: `missing terminating ${quote}` };
    words.push(word);
  }
  return { ok: true, words };
}
