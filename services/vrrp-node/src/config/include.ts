// Reading keepalived.conf and everything it includes, as keepalived's read_line()/read_conf_file() do.
// The only file of the config loader that touches the file system, and only through ConfigReader, so
// tests run on an in-memory tree (nodeConfigReader() is the real one).
//
// keepalived behaviour reproduced:
//  - `include PATTERN` is recognised on any line, at any block depth, when the line is exactly those two
//    words; the included lines are spliced in place (so an include may even sit inside a block).
//  - PATTERN is a glob(3) pattern with csh braces; a relative one is relative to the directory of the
//    file containing the include (keepalived chdir()s there while reading it). Matches are read in
//    sorted order; directories are skipped; no match is only logged ("No config files matched").
//  - `@ID line` keeps the line only when keepalived runs with config id ID (-i ID); `@^ID line` only when
//    it does not. Without a config id every `@ID` line is dropped and every `@^ID` line kept.
//  - `$NAME=value` defines a parameter; `$NAME` and `${NAME}` are replaced by it on later lines.
//    Multi-line definitions (trailing '\') and ~SEQ are not supported by hotstandby (warning).
// Not keepalived: an include loop (a file including itself, directly or not) is an error; keepalived
// would recurse until it runs out of file descriptors.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { diagnostic } from './diagnostic.js';
import type { Diagnostic } from './diagnostic.js';
import { globFiles } from './glob.js';
import { splitLines, stripComment, tokenizeLine } from './lexer.js';
import type { LexedLine } from './lexer.js';

export interface ConfigReader {
  /** The file's text. Throws (any Error, message shown to the user) when it cannot be read. */
  readFile(path: string): string;
  /** Regular files matching a glob pattern, sorted; [] when none. */
  glob(pattern: string): readonly string[];
}

export interface ReadOptions {
  /** keepalived's config id (`-i`), for `@ID` conditional lines. */
  readonly configId?: string;
}

export interface ReadResult {
  /** Every non-empty line of every file, includes spliced in place. */
  readonly lines: readonly LexedLine[];
  /** Files read, in order. */
  readonly files: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

const MAX_SUBSTITUTIONS = 32;

export function readConfigLines(path: string, reader: ConfigReader, options: ReadOptions = {}): ReadResult {
  const lines: LexedLine[] = [];
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const definitions = new Map<string, string>();

  const readOne = (file: string, stack: readonly string[], from?: { file: string; line: number; column: number }): void => {
    let source: string;
    try {
      source = reader.readFile(file);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      diagnostics.push(diagnostic('error', from ?? { file, line: 0, column: 0 }, from ? 'include' : '', `cannot read ${file}: ${why}`));
      return;
    }
    files.push(file);
    const inner = [...stack, file];
    splitLines(source).forEach((raw, index) => {
      const lineNo = index + 1;
      const stripped = stripComment(raw);
      let text = stripped.text;
      // An unterminated quote is reported by tokenizeLine() below.
      const trimmed = text.trimStart();
      const indent = text.length - trimmed.length;

      if (trimmed.startsWith('@')) {
        const m = /^@(\^?)(\S*)[ \t]+/.exec(trimmed);
        const reverse = m?.[1] === '^';
        const keep = m !== null && (options.configId !== undefined && m[2] === options.configId) !== reverse;
        if (!keep) return;
        // Blank out the "@id " prefix so columns still point into the real line.
        text = ' '.repeat(indent + m[0].length) + trimmed.slice(m[0].length);
      }

      const def = /^\s*\$([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/.exec(text);
      if (def) {
        if (stripped.continued) {
          diagnostics.push(diagnostic('warning', { file, line: lineNo, column: indent + 1 }, `$${def[1] ?? ''}`,
            'multi-line $definitions are not supported by hotstandby; ignored'));
          return;
        }
        definitions.set(def[1] ?? '', def[2] ?? '');
        return;
      }
      if (stripped.continued) {
        diagnostics.push(diagnostic('warning', { file, line: lineNo, column: text.length + 1 }, '',
          "keepalived does not continue lines ending in '\\' (only $NAME= definitions); the line ends here"));
      }
      if (text.trimStart().startsWith('~SEQ')) {
        diagnostics.push(diagnostic('warning', { file, line: lineNo, column: indent + 1 }, '~SEQ', '~SEQ is not supported by hotstandby; ignored'));
        return;
      }
      if (definitions.size > 0 && text.includes('$')) text = substitute(text, definitions);

      const asWords = /^\s*include\s/.test(text) ? tokenizeLine(text, file, lineNo, { braces: false }).tokens : [];
      const [first, second] = asWords;
      if (asWords.length === 2 && first?.text === 'include' && second !== undefined) {
        const pattern = second.text;
        const resolved = pattern.startsWith('/') ? pattern : posix.join(posix.dirname(file), pattern);
        const matches = reader.glob(resolved);
        const at = { file, line: lineNo, column: second.column };
        if (matches.length === 0) {
          diagnostics.push(diagnostic('warning', at, 'include', `no config files matched '${pattern}'`));
          return;
        }
        for (const match of matches) {
          const loopStart = inner.indexOf(match);
          if (loopStart >= 0) {
            const chain = [...inner.slice(loopStart), match].join(' -> ');
            diagnostics.push(diagnostic('error', at, 'include', `include loop: ${chain}; not included again`));
            continue;
          }
          readOne(match, inner, at);
        }
        return;
      }
      const { tokens, diagnostics: tokenDiagnostics } = tokenizeLine(text, file, lineNo);
      diagnostics.push(...tokenDiagnostics);
      if (tokens.length > 0) lines.push({ file, line: lineNo, text, tokens });
    });
  };

  readOne(path, []);
  return { lines, files, diagnostics };
}

/** keepalived replace_param(): $NAME / ${NAME} for defined names, repeated while something changes. */
function substitute(text: string, definitions: ReadonlyMap<string, string>): string {
  let out = text;
  for (let round = 0; round < MAX_SUBSTITUTIONS; round++) {
    const next = out.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
      const value = definitions.get(braced ?? bare ?? '');
      return value ?? whole;
    });
    if (next === out) break;
    out = next;
  }
  return out;
}

/** The real file system (synchronous: keepalived reads its config synchronously at start-up too). */
export function nodeConfigReader(): ConfigReader {
  return {
    readFile: (path) => readFileSync(path, 'utf8'),
    glob: (pattern) =>
      globFiles(pattern, {
        list: (dir) => {
          try {
            return readdirSync(dir);
          } catch {
            return undefined; // not a directory we can read: glob(3) treats it as no match
          }
        },
        isDirectory: (p) => {
          try {
            return statSync(p).isDirectory();
          } catch {
            return false;
          }
        },
      }),
  };
}
