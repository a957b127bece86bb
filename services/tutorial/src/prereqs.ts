// What the tutorial needs from the machine: root (network namespaces, raw sockets) and iproute2 /
// nftables. Missing Debian packages are installed when running as root; otherwise the message says
// exactly what to install.
import { execFile } from 'node:child_process';

const NEEDED: { cmd: string; pkg: string }[] = [
  { cmd: 'ip', pkg: 'iproute2' },
  { cmd: 'nft', pkg: 'nftables' },
  { cmd: 'nats-server', pkg: 'nats-server' },
  { cmd: 'curl', pkg: 'curl' },
];

function has(cmd: string): Promise<boolean> {
  return new Promise((resolve) => execFile('sh', ['-c', `command -v ${cmd}`], (err) => resolve(!err)));
}

function run(argv: string[]): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => execFile(argv[0]!, argv.slice(1), { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }, (err, _o, stderr) => resolve({ ok: !err, stderr: String(stderr) })));
}

export async function checkPrerequisites(): Promise<{ ok: true } | { ok: false; message: string }> {
  const missing: string[] = [];
  for (const n of NEEDED) if (!(await has(n.cmd))) missing.push(n.pkg);
  const root = process.getuid?.() === 0;
  if (!root) {
    return { ok: false, message: `the tutorial needs root (network namespaces and raw sockets): sudo npm start${missing.length ? `\nand these Debian packages: apt-get install ${missing.join(' ')}` : ''}` };
  }
  if (missing.length > 0) {
    process.stdout.write(`installing ${missing.join(' ')} (apt-get)...\n`);
    const u = await run(['apt-get', 'update', '-qq']);
    const i = u.ok ? await run(['apt-get', 'install', '-y', '-qq', ...missing]) : u;
    if (!i.ok) return { ok: false, message: `could not install ${missing.join(' ')}: ${i.stderr.trim()}\ninstall them with: apt-get install ${missing.join(' ')}` };
  }
  return { ok: true };
}
