/**
 * The test bridge's `window.studio`, built like electron/preload.ts builds the real one: one
 * function per invoke channel, `on<Event>(cb) → unsubscribe` per event channel, `{files}` requests
 * turned into transfers. No Playwright import, so a unit test (the lead's contract-parity test)
 * can call `bridgeKeys()` cheaply.
 */
import { EVENT_CHANNELS, FILE_CHANNELS, INVOKE_CHANNELS, MAX_IMPORT_BYTES } from '../../shared/ipc/channels';

/** Where the page loads images from; page.route answers with main's serveAsset. */
export const ASSET_BASE = '/__asset/';

export interface BridgeConfig {
  invoke: readonly string[];
  /** channels whose request is `{ files: File[] }` (shared/ipc/channels.ts FILE_CHANNELS) */
  files: readonly string[];
  events: readonly string[];
  assetBase: string;
  platform: string;
  /** MAX_IMPORT_BYTES: larger files cross as their size only, as in the preload */
  maxImportBytes: number;
}

/**
 * Builds `window.studio` on `target`. Self-contained (it is serialized into the page by
 * addInitScript), so it may not use imports or closures.
 */
export function installStudioBridge(
  cfg: BridgeConfig,
  target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>,
): void {
  const listeners: Record<string, Array<(p: unknown) => void>> = {};
  const api: Record<string, Record<string, unknown>> = {};
  const split = (ch: string) => [ch.slice(0, ch.indexOf(':')), ch.slice(ch.indexOf(':') + 1)] as const;
  const invoke = (ch: string, req: unknown) =>
    (target.__studioInvoke as (c: string, a: unknown) => Promise<unknown>)(ch, req);
  for (const ch of cfg.invoke) {
    const [d, v] = split(ch);
    // Like the preload's toTransfers: every file crosses as bytes, a too-large one as its size
    // (Uint8Array survives exposeBinding; ArrayBuffer would not).
    (api[d] ??= {})[v] = cfg.files.includes(ch)
      ? async (req: { files?: ArrayLike<{ name: string; size: number; arrayBuffer(): Promise<ArrayBuffer> }> }) =>
          invoke(ch, {
            files: await Promise.all(
              Array.from(req?.files ?? []).map(async (f) =>
                f.size > cfg.maxImportBytes
                  ? { name: f.name, size: f.size }
                  : { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) },
              ),
            ),
          })
      : (req?: unknown) => invoke(ch, req);
  }
  for (const ch of cfg.events) {
    const [d, v] = split(ch);
    (api[d] ??= {})['on' + v.charAt(0).toUpperCase() + v.slice(1)] = (cb: (p: unknown) => void) => {
      const list = (listeners[ch] ??= []);
      const wrapped = (p: unknown) => cb(p);
      list.push(wrapped);
      return () => {
        const i = list.indexOf(wrapped);
        if (i >= 0) list.splice(i, 1);
      };
    };
  }
  Object.defineProperty(target, '__studioEmit', {
    value: (ch: string, payload: unknown) => {
      for (const cb of [...(listeners[ch] ?? [])]) {
        try {
          cb(payload);
        } catch (e) {
          console.error(e);
        }
      }
    },
  });
  const frozen: Record<string, unknown> = {};
  for (const [d, fns] of Object.entries(api)) frozen[d] = Object.freeze(fns);
  Object.defineProperty(target, 'studio', {
    value: Object.freeze({ ...frozen, assetBase: cfg.assetBase, platform: cfg.platform }),
    enumerable: true,
  });
}

export function bridgeConfig(platform: string = process.platform): BridgeConfig {
  return {
    invoke: [...INVOKE_CHANNELS],
    files: [...FILE_CHANNELS],
    events: [...EVENT_CHANNELS],
    assetBase: ASSET_BASE,
    platform,
    maxImportBytes: MAX_IMPORT_BYTES,
  };
}

/** The keys of the `window.studio` this bridge exposes, as `domain.method` plus the two constants. */
export function bridgeKeys(): string[] {
  const target: Record<string, unknown> = {};
  installStudioBridge(bridgeConfig(), target);
  const studio = target.studio as Record<string, unknown>;
  const keys: string[] = [];
  for (const [k, v] of Object.entries(studio)) {
    if (v && typeof v === 'object') for (const m of Object.keys(v)) keys.push(`${k}.${m}`);
    else keys.push(k);
  }
  return keys.sort();
}
