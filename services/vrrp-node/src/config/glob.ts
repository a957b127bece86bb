// The glob(3) subset keepalived's `include` relies on (GLOB_BRACE | GLOB_MARK): `*`, `?`, `[...]`
// (with `!`/`^` negation) within one path segment, csh-style `{a,b}` braces, results sorted, directories
// skipped. Leading-dot names are only matched by a pattern segment that starts with '.', as glob(3) does.
// Pure: directory listing is injected, so the same walk serves the real file system and test fakes.

export interface DirectoryLister {
  /** Entry names of a directory, or undefined when it is not a readable directory. */
  list(dir: string): readonly string[] | undefined;
  isDirectory(path: string): boolean;
}

/** `{a,b{c,d}}x` → ['ax', 'bcx', 'bdx']; unbalanced braces are literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        const bounds = [open, ...commas, i];
        const out: string[] = [];
        for (let k = 0; k + 1 < bounds.length; k++) {
          const alt = pattern.slice((bounds[k] ?? 0) + 1, bounds[k + 1]);
          out.push(...expandBraces(head + alt + tail));
        }
        return out;
      }
    } else if (c === ',' && depth === 1) {
      commas.push(i);
    }
  }
  return [pattern];
}

function segmentRegExp(segment: string): RegExp {
  let re = '^';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    if (c === '\\' && i + 1 < segment.length) {
      re += escapeRe(segment[++i] ?? '');
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(re + '$');
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

const hasMagic = (segment: string): boolean => /[*?[]/.test(segment);

/** All regular files matching the pattern, sorted like glob(3) (byte order), without duplicates. */
export function globFiles(pattern: string, fs: DirectoryLister): string[] {
  const found = new Set<string>();
  for (const alternative of expandBraces(pattern)) {
    const absolute = alternative.startsWith('/');
    const segments = alternative.split('/').filter((s) => s !== '');
    let bases: string[] = [absolute ? '/' : ''];
    segments.forEach((segment, index) => {
      const last = index === segments.length - 1;
      const next: string[] = [];
      for (const base of bases) {
        const join = (name: string): string => (base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`);
        if (!hasMagic(segment)) {
          next.push(join(segment.replace(/\\(.)/g, '$1')));
          continue;
        }
        const names = fs.list(base === '' ? '.' : base) ?? [];
        const re = segmentRegExp(segment);
        for (const name of names) {
          if (name.startsWith('.') && !segment.startsWith('.')) continue;
          if (re.test(name)) next.push(join(name));
        }
      }
      bases = last ? next : next.filter((p) => fs.isDirectory(p));
    });
    for (const p of bases) {
      if (!fs.isDirectory(p) && (fs.list(dirname(p)) ?? []).includes(basename(p))) found.add(p);
    }
  }
  return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
