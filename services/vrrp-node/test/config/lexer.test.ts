import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lexSource, splitQuotedEscaped } from '../../src/config/lexer.js';

const words = (src: string): string[] => lexSource(src, 'k.conf').lines.flatMap((l) => l.tokens.map((t) => t.text));

describe('lexer (keepalived read_line / alloc_strvec_r rules)', () => {
  test('# and ! start a comment anywhere outside double quotes, even inside a word', () => {
    assert.deepEqual(words('priority 100 # comment\nstate MASTER! also\nrouter_id ab#cd\n! whole line\n'), [
      'priority', '100', 'state', 'MASTER', 'router_id', 'ab',
    ]);
  });

  test('a backslash escapes a comment character', () => {
    assert.deepEqual(words('router_id ab\\#cd\\!e\n'), ['router_id', 'ab#cd!e']);
  });

  test('double quotes make one word without the quotes; # inside is not a comment; single quotes are ordinary', () => {
    assert.deepEqual(words(`notify_master "/bin/x a # b" user\nrouter_id 'a b'\n`), [
      'notify_master', '/bin/x a # b', 'user', 'router_id', "'a", "b'",
    ]);
  });

  test('braces outside quotes are tokens of their own, so one-line blocks work', () => {
    assert.deepEqual(words('virtual_ipaddress{10.0.0.1}\nnotify "a{b}"\n'), [
      'virtual_ipaddress', '{', '10.0.0.1', '}', 'notify', 'a{b}',
    ]);
  });

  test('tokens carry file, line and 1-based column', () => {
    const { lines } = lexSource('\n    state   MASTER\n', 'k.conf');
    const t = lines[0]?.tokens[1];
    assert.deepEqual([t?.file, t?.line, t?.column], ['k.conf', 2, 13]);
  });

  test('an unterminated double quote is an error at the quote', () => {
    const { diagnostics } = lexSource('router_id x\nnotify_master "/bin/x\n', 'k.conf');
    assert.equal(diagnostics.length, 1);
    assert.deepEqual([diagnostics[0]?.severity, diagnostics[0]?.line, diagnostics[0]?.column], ['error', 2, 15]);
  });

  test('a trailing backslash is not a line continuation (keepalived only continues $definitions)', () => {
    const { lines, diagnostics } = lexSource('router_id a \\\nb\n', 'k.conf');
    assert.equal(lines.length, 2);
    assert.equal(diagnostics[0]?.severity, 'warning');
  });

  test('script strings: both quote kinds, escapes, glued quoting (keepalived.conf(5) "Quoted strings")', () => {
    assert.deepEqual(splitQuotedEscaped(`abcd" efg h jkl "mnop`), { ok: true, words: ['abcd efg h jkl mnop'] });
    assert.deepEqual(splitQuotedEscaped(`abcd "efg h jkl" mnop`), { ok: true, words: ['abcd', 'efg h jkl', 'mnop'] });
    assert.deepEqual(splitQuotedEscaped(`/bin/n.sh ' spaces\\x20f\\x69le ' '\\"s p a c e \\"' \\t\\101`), {
      ok: true, words: ['/bin/n.sh', ' spaces file ', '"s p a c e "', '\tA'],
    });
    assert.deepEqual(splitQuotedEscaped(`'open`), { ok: false, reason: "missing terminating '" });
  });
});
