// Lines of tokens → a generic block tree, with a location on everything. No keyword knowledge here:
// a statement is a keyword word plus argument words up to the end of its line or a brace, optionally
// followed by a { … } block (on the same line or, as keepalived allows, on the next one).

import { diagnostic } from './diagnostic.js';
import type { Diagnostic, SourceLocation } from './diagnostic.js';
import type { LexedLine, Token } from './lexer.js';

export interface Word extends SourceLocation {
  readonly text: string;
  readonly quoted: boolean;
}

export interface Statement {
  readonly keyword: Word;
  readonly args: readonly Word[];
  /** The statement's source text from the keyword to the end of its segment (for script keywords). */
  readonly text: string;
  readonly block?: Block;
}

export interface Block {
  readonly open: SourceLocation;
  /** Missing when the file ended before the block was closed (an error is reported). */
  readonly close?: SourceLocation;
  readonly statements: readonly Statement[];
}

export interface ParseResult {
  readonly statements: readonly Statement[];
  readonly diagnostics: readonly Diagnostic[];
}

interface MutableStatement {
  keyword: Word;
  args: Word[];
  text: string;
  block?: MutableBlock;
}

interface MutableBlock {
  open: SourceLocation;
  close?: SourceLocation;
  statements: MutableStatement[];
  owner?: MutableStatement;
}

const word = (t: Token): Word => ({ text: t.text, quoted: t.quoted, file: t.file, line: t.line, column: t.column });
const loc = (t: Token): SourceLocation => ({ file: t.file, line: t.line, column: t.column });

export function parse(lines: readonly LexedLine[]): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const root: MutableBlock = { open: { file: '', line: 0, column: 0 }, statements: [] };
  const stack: MutableBlock[] = [root];
  const top = (): MutableBlock => stack[stack.length - 1] ?? root;
  // The statement a '{' would belong to: the last one in the current block, until something else happens.
  let awaitingBlock: MutableStatement | undefined;

  for (const line of lines) {
    let current: MutableStatement | undefined;
    const tokens = line.tokens;
    tokens.forEach((token, index) => {
      if (token.kind === 'word') {
        if (current === undefined) {
          const segmentEnd = tokens.slice(index + 1).find((t) => t.kind !== 'word')?.start ?? line.text.length;
          current = { keyword: word(token), args: [], text: line.text.slice(token.start, segmentEnd).trimEnd() };
          top().statements.push(current);
          awaitingBlock = current;
        } else {
          current.args.push(word(token));
        }
        return;
      }
      if (token.kind === 'open') {
        const owner = current ?? awaitingBlock;
        const block: MutableBlock = { open: loc(token), statements: [] };
        if (owner !== undefined && owner.block === undefined) {
          owner.block = block;
          block.owner = owner;
        } else {
          // keepalived: "Unexpected '{' - ignoring". We skip the whole anonymous block instead of letting
          // its '}' close the enclosing one, which is what the author meant.
          diagnostics.push(diagnostic('warning', loc(token), '', "unexpected '{' (no keyword before it); its block is ignored"));
        }
        stack.push(block);
        current = undefined;
        awaitingBlock = undefined;
        return;
      }
      // '}'
      if (stack.length > 1) {
        const closed = stack.pop();
        if (closed) closed.close = loc(token);
      } else {
        diagnostics.push(diagnostic('error', loc(token), '', "extra '}' with no block to close"));
      }
      current = undefined;
      awaitingBlock = undefined;
    });
  }

  for (let i = stack.length - 1; i >= 1; i--) {
    const open = stack[i];
    if (open === undefined) continue;
    diagnostics.push(diagnostic('error', open.open, open.owner?.keyword.text ?? '', `missing '}' for the block opened here`));
  }

  return { statements: freeze(root.statements), diagnostics };
}

function freeze(statements: readonly MutableStatement[]): Statement[] {
  // Blocks opened without a keyword are dropped here (already warned about).
  return statements.map((s) => {
    const out: Statement = { keyword: s.keyword, args: s.args, text: s.text };
    if (s.block === undefined) return out;
    const block: Block = s.block.close
      ? { open: s.block.open, close: s.block.close, statements: freeze(s.block.statements) }
      : { open: s.block.open, statements: freeze(s.block.statements) };
    return { ...out, block };
  });
}
