// The e-mail settings of an existing keepalived.conf, so a keepalived user's alert address keeps
// working: global_defs' `notification_email { addr… }`, `notification_email_from addr` and
// `smtp_server <host> [<port>]` (keepalived's global_parser.c; the port defaults to 25).
// A deliberately small reader — not keepalived's full grammar: comments (`#`, `!`) and braces are
// understood; `include`, `@conditionals` and `$definitions` are not followed (reported in `ignored`).

export interface KeepalivedEmail {
  readonly to: readonly string[];
  readonly from?: string;
  readonly smtp?: { readonly host: string; readonly port: number };
  /** Things the reader saw but does not interpret (e.g. `include` lines). */
  readonly ignored: readonly string[];
}

export type KeepalivedResult = { ok: true; value: KeepalivedEmail } | { ok: false; reason: string; line: number };

interface Token {
  readonly text: string;
  readonly line: number;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/[#!].*$/, '');
    for (const m of line.matchAll(/[{}]|[^\s{}]+/g)) out.push({ text: m[0], line: i + 1 });
  });
  return out;
}

export function readKeepalivedEmail(text: string): KeepalivedResult {
  const tokens = tokenize(text);
  const to: string[] = [];
  const ignored: string[] = [];
  let from: string | undefined;
  let smtp: { host: string; port: number } | undefined;
  let depth = 0;
  let inGlobal = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '{') {
      depth++;
      continue;
    }
    if (t.text === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) inGlobal = false;
      continue;
    }
    if (depth === 0) {
      if (t.text === 'global_defs') inGlobal = true;
      else if (t.text === 'include' || t.text.startsWith('@') || t.text.startsWith('$')) ignored.push(`line ${t.line}: ${t.text}`);
      continue;
    }
    if (!inGlobal || depth !== 1) continue;
    // Only keywords at the start of a line are keywords (values follow on the same line).
    const prev = tokens[i - 1];
    if (prev && prev.line === t.line && prev.text !== '{' && prev.text !== '}') continue;
    const sameLine = (): Token[] => {
      const vals: Token[] = [];
      for (let j = i + 1; j < tokens.length && tokens[j]!.line === t.line && tokens[j]!.text !== '{' && tokens[j]!.text !== '}'; j++) vals.push(tokens[j]!);
      return vals;
    };
    switch (t.text) {
      case 'notification_email': {
        if (tokens[i + 1]?.text !== '{') return { ok: false, reason: 'notification_email needs a { … } block', line: t.line };
        let j = i + 2;
        for (; j < tokens.length && tokens[j]!.text !== '}'; j++) {
          if (tokens[j]!.text === '{') return { ok: false, reason: 'unexpected { in notification_email', line: tokens[j]!.line };
          to.push(tokens[j]!.text);
        }
        if (j >= tokens.length) return { ok: false, reason: 'notification_email block is not closed', line: t.line };
        i = j;
        break;
      }
      case 'notification_email_from': {
        const v = sameLine();
        if (v.length !== 1) return { ok: false, reason: 'notification_email_from takes one address', line: t.line };
        from = v[0]!.text;
        break;
      }
      case 'smtp_server': {
        const v = sameLine();
        if (v.length < 1 || v.length > 2) return { ok: false, reason: 'smtp_server takes a host and an optional port', line: t.line };
        const port = v[1] ? Number(v[1].text) : 25;
        if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, reason: `smtp_server port ${v[1]?.text ?? ''} is not 1-65535`, line: t.line };
        smtp = { host: v[0]!.text, port };
        break;
      }
      default:
        break;
    }
  }
  return { ok: true, value: { to, ...(from !== undefined ? { from } : {}), ...(smtp ? { smtp } : {}), ignored } };
}
