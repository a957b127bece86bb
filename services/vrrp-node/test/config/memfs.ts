// An in-memory file tree for config tests: same glob semantics as the real reader (globFiles).
import { globFiles } from '../../src/config/glob.js';
import type { LoadOptions } from '../../src/config/load.js';

export function memfs(files: Record<string, string>, hostname = 'node-a'): LoadOptions & { reads: string[] } {
  const reads: string[] = [];
  const dirs = new Set<string>(['/']);
  for (const path of Object.keys(files)) {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add('/' + parts.slice(0, i).join('/'));
  }
  const list = (dir: string): string[] | undefined => {
    if (!dirs.has(dir)) return undefined;
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const names = new Set<string>();
    for (const p of [...Object.keys(files), ...dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length) names.add(p.slice(prefix.length).split('/')[0] ?? '');
    }
    return [...names];
  };
  return {
    hostname,
    reads,
    readFile(path: string): string {
      const text = files[path];
      if (text === undefined) throw new Error('ENOENT: no such file');
      reads.push(path);
      return text;
    },
    glob: (pattern: string) => globFiles(pattern, { list, isDirectory: (p) => dirs.has(p) }),
  };
}

/** `text` with its lines joined — keeps test configs readable. */
export const conf = (...lines: string[]): string => lines.join('\n') + '\n';
