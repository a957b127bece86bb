// The tutorial's live view, as pure text: who is master of each VRID, where each VIP is, and the
// last events. Rendered from plain data so it is tested without a lab.

export interface NodeView {
  readonly name: string;
  readonly address: string;
  readonly running: boolean;
  /** instance name → state */
  readonly states: Readonly<Record<string, string>>;
  readonly vips: readonly string[];
}

export interface ViewModel {
  readonly title: string;
  readonly instances: readonly { name: string; vrid: number; vip: string }[];
  readonly nodes: readonly NodeView[];
  readonly events: readonly string[];
  readonly footer?: string;
}

export function renderView(m: ViewModel): string {
  const out: string[] = [];
  out.push(m.title, '');
  const nameW = Math.max(6, ...m.nodes.map((n) => `${n.name} (${n.address})`.length));
  out.push(`${'node'.padEnd(nameW)}  ${m.instances.map((i) => `${i.name} vrid ${i.vrid}`.padEnd(16)).join('  ')}  VIPs held`);
  for (const n of m.nodes) {
    const label = `${n.name} (${n.address})`.padEnd(nameW);
    const cells = m.instances.map((i) => (n.running ? (n.states[i.name] ?? '?') : 'down').padEnd(16));
    out.push(`${label}  ${cells.join('  ')}  ${n.vips.length > 0 ? n.vips.join(', ') : '-'}`);
  }
  out.push('');
  for (const i of m.instances) {
    const masters = m.nodes.filter((n) => n.running && n.states[i.name] === 'MASTER').map((n) => n.name);
    const holders = m.nodes.filter((n) => n.vips.includes(i.vip)).map((n) => n.name);
    const verdict = masters.length > 1 ? `SPLIT BRAIN: ${masters.join(' and ')} are both MASTER` : masters.length === 1 ? `master ${masters[0]}` : 'no master';
    out.push(`${i.name}: ${verdict}; ${i.vip} on ${holders.length > 0 ? holders.join(' and ') : 'no node'}`);
  }
  if (m.events.length > 0) {
    out.push('', 'last events:');
    for (const e of m.events.slice(-8)) out.push(`  ${e}`);
  }
  if (m.footer) out.push('', m.footer);
  return out.join('\n') + '\n';
}
