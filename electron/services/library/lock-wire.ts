/**
 * What LibraryLock's contenders say to each other and how one reaches another: the one-line
 * hello a socket or pipe answers with, the heartbeat file's shape, probing a socket (live, dead,
 * gone, denied) and listening on one. The rules that use them are in library-lock.ts.
 */
import net from 'node:net';
import { code } from './lock-place';

export type LockState = 'acquiring' | 'holding';

const HELLO_TIMEOUT_MS = 1500;

export interface Hello {
  v: 1;
  who: string;
  pid: number;
  host: string;
  state: LockState;
  ticket: string;
  since: number;
  nonce: string;
}
export interface Beat extends Hello {
  beat: number;
  /** the socket (or pipe) that answers for this heartbeat on its own computer */
  sock: string;
}
/** Another contender or holder, as seen from here. */
export interface Other {
  who?: string;
  pid?: number;
  host?: string;
  state: LockState | 'unknown';
  ticket?: string;
  since?: number;
  foreign: boolean;
  lastSeenMs?: number;
}

export type Probe = { kind: 'live'; hello?: Hello } | { kind: 'dead' } | { kind: 'gone' } | { kind: 'denied' };

export function isHello(x: unknown): x is Hello {
  const o = x as Partial<Hello> | null;
  return (
    !!o &&
    typeof o === 'object' &&
    typeof o.who === 'string' &&
    typeof o.pid === 'number' &&
    typeof o.host === 'string' &&
    (o.state === 'acquiring' || o.state === 'holding') &&
    typeof o.ticket === 'string' &&
    typeof o.nonce === 'string'
  );
}
export function parse<T>(text: string, ok: (x: unknown) => x is T): T | undefined {
  try {
    const x = JSON.parse(text) as unknown;
    return ok(x) ? x : undefined;
  } catch {
    return undefined;
  }
}
export const isBeat = (x: unknown): x is Beat =>
  isHello(x) && typeof (x as Beat).beat === 'number' && typeof (x as Beat).sock === 'string';

/** Connects to a contender's socket or pipe and reads its one-line hello. */
export function probe(where: string, timeoutMs = HELLO_TIMEOUT_MS): Promise<Probe> {
  return new Promise((resolve) => {
    let buf = '';
    let connected = false;
    let done = false;
    const c = net.connect(where);
    const finish = (r: Probe) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      c.destroy();
      resolve(r);
    };
    // connected but silent, or waiting in a full backlog: something listens there
    const timer = setTimeout(() => finish({ kind: 'live' }), timeoutMs);
    c.setEncoding('utf8');
    c.on('connect', () => (connected = true));
    c.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0 || buf.length > 4096)
        finish({ kind: 'live', hello: parse(nl >= 0 ? buf.slice(0, nl) : '', isHello) });
    });
    c.on('end', () => finish({ kind: 'live', hello: parse(buf, isHello) }));
    c.on('error', (e) => {
      const k = code(e);
      if (connected) return finish({ kind: 'live' }); // it was listening when we came
      if (k === 'ENOENT') return finish({ kind: 'gone' });
      if (k === 'EACCES' || k === 'EPERM') return finish({ kind: 'denied' });
      if (k === 'EAGAIN' || k === 'EBUSY' || k === 'ETIMEDOUT' || k === 'EMFILE' || k === 'ENFILE')
        return finish({ kind: 'live' });
      finish({ kind: 'dead' }); // ECONNREFUSED: nobody listens; ENOTSOCK & co: not a socket at all
    });
  });
}

export function listen(server: net.Server, where: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(where, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export function fromHello(h: Hello | undefined, b: Beat | undefined): Other {
  const src = h ?? b;
  if (!src) return { state: 'unknown', foreign: false };
  return {
    who: src.who,
    pid: src.pid,
    host: src.host,
    state: h ? h.state : 'unknown',
    ticket: src.ticket,
    since: src.since,
    foreign: false,
  };
}
