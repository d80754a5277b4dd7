/**
 * Whether Replicate can be reached at all, decided once for every job instead of by each job's
 * own retries. When a request fails at the network level, one probe loop (a HEAD of the API
 * origin: no token, nothing billed; any HTTP answer means the path works) checks with growing
 * pauses, and every job that needs the network waits on `whenOnline()` until it answers. So ten
 * waiting jobs make one request every few seconds, not ten, and all resume the moment the
 * connection returns.
 *
 * "Offline" is only announced when the probe fails too (a single dropped connection on a flaky
 * network is not worth a banner), and "online" again as soon as anything answers.
 */
export type ConnectivityState = { online: boolean; since: number };

export interface ConnectivityOptions {
  /** sends one cheap request; resolves if any HTTP answer came back, rejects on a network error */
  probe: (signal: AbortSignal) => Promise<void>;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** pauses between probes: first, growth factor, cap */
  firstProbeMs?: number;
  maxProbeMs?: number;
}

export class Connectivity {
  private state: ConnectivityState;
  private listeners = new Set<(s: ConnectivityState) => void>();
  private waiters = new Set<() => void>();
  private probing: AbortController | null = null;
  private readonly now: () => number;

  constructor(private readonly o: ConnectivityOptions) {
    this.now = o.now ?? Date.now;
    this.state = { online: true, since: this.now() };
  }

  get current(): ConnectivityState {
    return { ...this.state };
  }

  onChange(fn: (s: ConnectivityState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Any HTTP answer from Replicate: the network works. */
  reportAnswer(): void {
    this.probing?.abort();
    this.probing = null;
    this.set(true);
    for (const w of [...this.waiters]) w();
  }

  /** A request failed without any answer: start (or keep) probing. */
  reportNoAnswer(): void {
    if (!this.probing) void this.probeLoop();
  }

  /** Resolves when Replicate answers again (at once if nothing failed since the last answer). */
  whenOnline(signal?: AbortSignal): Promise<void> {
    if (!this.probing) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.waiters.delete(done);
        reject(signal!.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(done);
    });
  }

  /** Stops probing (the app is closing). */
  dispose(): void {
    this.probing?.abort();
    this.probing = null;
    for (const w of [...this.waiters]) w();
  }

  private set(online: boolean) {
    if (this.state.online === online) return;
    this.state = { online, since: this.now() };
    for (const l of this.listeners) l(this.current);
  }

  private async probeLoop() {
    const ctl = new AbortController();
    this.probing = ctl;
    let pause = this.o.firstProbeMs ?? 500;
    const cap = this.o.maxProbeMs ?? 15_000;
    try {
      for (;;) {
        await this.o.sleep(pause, ctl.signal);
        try {
          await this.o.probe(ctl.signal);
        } catch {
          if (ctl.signal.aborted) return;
          this.set(false);
          pause = Math.min(cap, pause * 2);
          continue;
        }
        if (this.probing === ctl) this.reportAnswer();
        return;
      }
    } catch {
      // aborted while sleeping: an ordinary request got an answer first
    }
  }
}
