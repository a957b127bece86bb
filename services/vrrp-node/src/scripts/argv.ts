// keepalived 2.x runs notify and track scripts directly (execve), not through a shell: the script
// string is split into words on blanks, with single or double quotes grouping a word and a backslash
// escaping the next character (keepalived's notify_script parsing). Users who need shell features
// write `/bin/sh -c '...'` themselves, as keepalived's man page says.

export type ArgvResult = { ok: true; argv: string[] } | { ok: false; reason: string };

export function splitCommand(command: string): ArgvResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) return { ok: false, reason: `unterminated ${quote} quote` };
  if (inWord) argv.push(word);
  if (argv.length === 0) return { ok: false, reason: 'empty command' };
  return { ok: true, argv };
}
