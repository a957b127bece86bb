// The real ScriptHost (config/script-users.ts): accounts through getent (so NSS users — LDAP, sssd —
// resolve as they do for keepalived's getpwnam_r), and keepalived's path check (core/notify.c
// check_security) on the script as written and on its real path.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, lstatSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { ScriptHost } from '../config/script-users.js';

function getent(db: 'passwd' | 'group', name: string): string[] | undefined {
  try {
    const line = execFileSync('getent', [db, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
    return line === '' ? undefined : line.split(':');
  } catch {
    return undefined; // exit 2: no such entry
  }
}

/** keepalived find_path: a bare name is looked up in PATH. */
function locate(argv0: string): string | undefined {
  if (argv0.includes('/')) return isAbsolute(argv0) ? argv0 : resolve(argv0);
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, argv0);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Each component from / down: owned by root, and not writable by a non-root group or others (a directory with the sticky bit may be). */
function checkPath(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const p = '/' + parts.slice(0, i).join('/');
    const st = lstatSync(p);
    if (st.uid !== 0) return `${p} is owned by uid ${st.uid}`;
    const checked = (st.isDirectory() && (st.mode & 0o1000) === 0) || st.isFile();
    if (checked && ((st.gid !== 0 && (st.mode & 0o020) !== 0) || (st.mode & 0o002) !== 0)) return `${p} is writable by ${(st.mode & 0o002) !== 0 ? 'others' : `group ${st.gid}`}`;
  }
  return undefined;
}

export function systemScriptHost(): ScriptHost {
  return {
    user(name) {
      const f = getent('passwd', name);
      return f ? { uid: Number(f[2]), gid: Number(f[3]) } : undefined;
    },
    group(name) {
      const f = getent('group', name);
      return f ? Number(f[2]) : undefined;
    },
    unsafe(argv0) {
      const path = locate(argv0);
      if (path === undefined) return undefined; // not found: keepalived disables it for that reason; runScript reports ENOENT
      try {
        return checkPath(path) ?? checkPath(realpathSync(path));
      } catch {
        return undefined; // missing: reported when it runs
      }
    },
  };
}
