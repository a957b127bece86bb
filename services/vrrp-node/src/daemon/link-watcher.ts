// Link state of tracked interfaces (track_interface, and the instance's own interface unless
// dont_track_primary). keepalived listens to rtnetlink link events; this polls the interface flags
// (IFF_UP and IFF_RUNNING, i.e. carrier) every `periodMs` through an ioctl, which costs microseconds
// and bounds the detection delay at one period.
import { interfaceInfo } from '@hotstandby/netio';

export class LinkWatcher {
  readonly #state = new Map<string, boolean>();
  readonly #onChange: (ifname: string, up: boolean) => void;
  readonly #periodMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(onChange: (ifname: string, up: boolean) => void, periodMs = 50) {
    this.#onChange = onChange;
    this.#periodMs = periodMs;
  }

  watch(ifname: string): void {
    if (!this.#state.has(ifname)) this.#state.set(ifname, read(ifname));
  }

  isUp(ifname: string): boolean {
    return this.#state.get(ifname) ?? read(ifname);
  }

  start(): void {
    this.#timer = setInterval(() => {
      for (const [name, was] of this.#state) {
        const now = read(name);
        if (now !== was) {
          this.#state.set(name, now);
          this.#onChange(name, now);
        }
      }
    }, this.#periodMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}

function read(ifname: string): boolean {
  try {
    const i = interfaceInfo(ifname);
    return i.up && i.running;
  } catch {
    return false; // a vanished interface is down
  }
}
