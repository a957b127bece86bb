// Reads tshark's `-V -x` text (the .txt files beside the golden pcaps) into frames, so the golden tests
// compare our decoder with what tshark printed rather than with numbers copied by hand.
import { readFileSync } from 'node:fs';

export interface TsharkFrame {
  readonly number: number;
  readonly protocols: string;
  /** "1795659682.922899000" */
  readonly epoch: string;
  readonly bytes: Uint8Array;
  readonly text: string;
}

export function readTshark(path: string): Map<number, TsharkFrame> {
  const frames = new Map<number, TsharkFrame>();
  const text = readFileSync(path, 'utf8');
  const blocks = text.split(/^(?=Frame \d+: )/m).filter((b) => b.startsWith('Frame '));
  for (const block of blocks) {
    const number = Number(/^Frame (\d+):/.exec(block)?.[1]);
    const protocols = /\[Protocols in frame: ([^\]]+)\]/.exec(block)?.[1] ?? '';
    const epoch = /Epoch Time: ([0-9.]+) seconds/.exec(block)?.[1] ?? '';
    const hexBytes: number[] = [];
    for (const m of block.matchAll(/^[0-9a-f]{4} {2}((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2})/gm)) {
      for (const h of (m[1] ?? '').split(' ')) hexBytes.push(parseInt(h, 16));
    }
    frames.set(number, { number, protocols, epoch, bytes: Uint8Array.from(hexBytes), text: block });
  }
  return frames;
}

/** The text of one protocol section (from its title line to the next unindented line). */
export function section(frame: TsharkFrame, title: string): string {
  const start = frame.text.indexOf(`\n${title}`);
  if (start < 0) return '';
  const rest = frame.text.slice(start + 1);
  const end = rest.slice(1).search(/\n(?=\S)/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

export function one(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

export function all(text: string, re: RegExp): string[] {
  return Array.from(text.matchAll(re), (m) => m[1] ?? '');
}
