// Who runs each script, and whether it may run — keepalived 2.2.7's rules (keepalived/core/notify.c,
// keepalived.conf(5) "SCRIPTS" and global_defs script_user / enable_script_security):
//
// - A script runs as the user (and group) written after it (notify lines) or in its vrrp_script
//   (`user USER [GROUP]`); else as global `script_user USER [GROUP]`; else as `keepalived_script` if that
//   user exists; else as keepalived's own user (root). GROUP defaults to the user's primary group.
// - A user or group that does not exist is a configuration error ("Script user '%s' does not exist",
//   "Error setting global script uid/gid", "Unable to set uid/gid for script").
// - With enable_script_security and no keepalived_script user (and no script_user), keepalived refuses
//   to run scripts as root by default ("Unable to set default user keepalived_script for script"): an
//   error here too.
// - A script run as root (uid or gid 0) must not be replaceable by anyone else: every component of its
//   path, and of its real path, must be owned by root, and no file — nor directory without the sticky
//   bit — may be writable by a non-root group or by others. Otherwise keepalived logs "Unsafe
//   permissions found for script '%s'" and, with enable_script_security, adds " - disabling" and drops
//   the script. Both are warnings here (keepalived still runs), and the dropped script is gone from the
//   config: a notify is not run, a vrrp_script is not tracked.
//
// The host (accounts, file system) comes in as a ScriptHost; scripts/script-host.ts is the real one.
import type { Diagnostic, SourceLocation } from './diagnostic.js';
import { diagnostic } from './diagnostic.js';
import type { KeepalivedConfig, NotifyScripts, ScriptCommand, ScriptUser, SyncGroup, VrrpInstance, VrrpScript } from './model.js';

export const DEFAULT_SCRIPT_USER = 'keepalived_script';

export interface ScriptHost {
  /** uid and primary gid of a user, undefined when there is no such user. */
  user(name: string): { uid: number; gid: number } | undefined;
  /** gid of a group, undefined when there is no such group. */
  group(name: string): number | undefined;
  /** Why a script run as root is unsafe (keepalived's check_security), or undefined when it is safe. */
  unsafe(argv0: string): string | undefined;
}

export interface ScriptUsersResult {
  readonly config: KeepalivedConfig;
  readonly diagnostics: readonly Diagnostic[];
}

export function resolveScriptUsers(config: KeepalivedConfig, host: ScriptHost, security: { readonly enableAt?: SourceLocation }): ScriptUsersResult {
  const diagnostics: Diagnostic[] = [];
  const g = config.global;
  const resolve = (u: ScriptUser): ScriptUser | undefined => {
    const at = u.location ?? { file: config.files[0] ?? '', line: 1, column: 1 };
    const keyword = u.keyword ?? 'script_user';
    const account = host.user(u.user);
    if (!account) {
      diagnostics.push(diagnostic('error', at, keyword, `${keyword}: script user '${u.user}' does not exist`));
      return undefined;
    }
    let gid = account.gid;
    if (u.group !== undefined) {
      const named = host.group(u.group);
      if (named === undefined) {
        diagnostics.push(diagnostic('error', at, keyword, `${keyword}: script group '${u.group}' does not exist`));
        return undefined;
      }
      gid = named;
    }
    return { ...u, uid: account.uid, gid };
  };

  let defaultUser: ScriptUser | undefined;
  if (g.scriptUser) defaultUser = resolve(g.scriptUser);
  else {
    const ks = host.user(DEFAULT_SCRIPT_USER);
    if (ks) defaultUser = { user: DEFAULT_SCRIPT_USER, uid: ks.uid, gid: ks.gid };
  }
  const anyScript = config.scripts.length > 0 || config.instances.some((i) => hasNotify(i.notify)) || config.syncGroups.some((s) => hasNotify(s.notify));
  if (g.enableScriptSecurity && !g.scriptUser && !defaultUser && anyScript) {
    const at = security.enableAt ?? { file: config.files[0] ?? '', line: 1, column: 1 };
    diagnostics.push(diagnostic('error', at, 'enable_script_security', `enable_script_security: no script_user, and the default script user ${DEFAULT_SCRIPT_USER} does not exist; scripts would run as root (set script_user)`));
  }

  /** The script with its effective user; undefined when enable_script_security drops it. */
  const place = <T extends { readonly user?: ScriptUser }>(item: T, argv0: string, at: SourceLocation, keyword: string): T | undefined => {
    const own = item.user ? resolve(item.user) : undefined;
    const user = own ?? (item.user ? undefined : defaultUser);
    const runsAsRoot = user === undefined || user.uid === 0 || user.gid === 0;
    const why = runsAsRoot ? host.unsafe(argv0) : undefined;
    if (why !== undefined) {
      diagnostics.push(diagnostic('warning', at, keyword, `Unsafe permissions found for script '${argv0}'${g.enableScriptSecurity ? ' - disabling' : ''} (${why})`));
      if (g.enableScriptSecurity) return undefined;
    }
    return user ? { ...item, user } : item;
  };

  const notify = (n: NotifyScripts, at: SourceLocation): NotifyScripts => {
    const out: { -readonly [K in keyof NotifyScripts]: ScriptCommand } = {};
    for (const key of ['master', 'backup', 'fault', 'stop', 'any'] as const) {
      const cmd = n[key];
      if (!cmd) continue;
      const kept = place(cmd, cmd.argv[0] ?? '', cmd.user?.location ?? at, key === 'any' ? 'notify' : `notify_${key}`);
      if (kept) out[key] = kept;
    }
    return out;
  };

  const scripts: VrrpScript[] = [];
  for (const s of config.scripts) {
    const kept = place(s, s.script.argv[0] ?? '', s.location, 'vrrp_script');
    if (kept) scripts.push(kept);
  }
  const instances: VrrpInstance[] = config.instances.map((i) => ({ ...i, notify: notify(i.notify, i.location) }));
  const syncGroups: SyncGroup[] = config.syncGroups.map((s) => ({ ...s, notify: notify(s.notify, s.location) }));
  const global = defaultUser ? { ...g, scriptUser: defaultUser } : g;
  return { config: { ...config, global, scripts, instances, syncGroups }, diagnostics };
}

function hasNotify(n: NotifyScripts): boolean {
  return n.master !== undefined || n.backup !== undefined || n.fault !== undefined || n.stop !== undefined || n.any !== undefined;
}
