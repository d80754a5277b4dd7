/**
 * Channel names only (no zod), so the sandboxed preload bundle stays tiny.
 * `domain:verb`; `window.studio.<domain>.<verb>()` is derived from the name.
 * The zod contract in ./contract.ts must list exactly these (a parity test checks it).
 */
export const INVOKE_CHANNELS = [
  'app:info',
  'app:openExternal',
  'app:showLogs',
  'token:status',
  'token:set',
  'token:clear',
  'settings:get',
  'settings:update',
  'settings:chooseLibrary',
  'settings:useDefaultLibrary',
  'models:get',
  'jobs:start',
  'jobs:cancel',
  'jobs:list',
  'jobs:dismiss',
  'jobs:retry',
  'library:list',
  'library:get',
  'library:reveal',
  'library:remove',
  'library:previous',
  'library:movePrevious',
  'library:cancelMove',
  'library:openPrevious',
  'library:forgetPrevious',
  'library:setFlag',
  'library:setRating',
  'library:query',
  'library:records',
  'library:deleteRejected',
  'library:undoDelete',
  'library:deletePermanently',
  'library:deletions',
  'selfies:import',
  'selfies:list',
  'selfies:remove',
  'prompts:recent',
  'presets:list',
  'presets:save',
  'presets:remove',
  'network:status',
  'export:photos',
  'export:cancel',
  'export:readSettingsFromFile',
  'export:copyToClipboard',
  'export:startDrag',
  'export:openPrediction',
  'export:face',
  'export:reveal',
  'export:remixMask',
  'training:trainers',
  'training:start',
  'training:list',
  'training:cancel',
  'training:retry',
  'trainingset:list',
  'trainingset:add',
  'trainingset:check',
  'trainingset:cancel',
  'trainingset:setIncluded',
  'trainingset:setCaption',
  'trainingset:remove',
] as const;

/**
 * Requests that carry files: the preload reads each `File` the person dropped, picked or pasted
 * and sends its bytes (electron/preload.ts). Main never receives a path from the renderer, so a
 * compromised page cannot make it read ~/.ssh. The renderer passes `{ files: File[] }`.
 */
export const FILE_CHANNELS = ['selfies:import', 'export:readSettingsFromFile', 'trainingset:add'] as const;

/** Largest file a person can import; bigger ones cross as their size only, never read. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

export const EVENT_CHANNELS = [
  'jobs:progress',
  'library:changed',
  'library:moveProgress',
  'library:deletion',
  'settings:changed',
  'network:changed',
  'export:progress',
  'training:progress',
  'trainingset:progress',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** 'jobs:start' → ['jobs', 'start'] */
export function splitChannel(ch: string): [string, string] {
  const i = ch.indexOf(':');
  return [ch.slice(0, i), ch.slice(i + 1)];
}

/** 'jobs:progress' → ['jobs', 'onProgress'] */
export function eventMethod(ch: EventChannel): [string, string] {
  const [d, v] = splitChannel(ch);
  return [d, 'on' + v[0]!.toUpperCase() + v.slice(1)];
}

/** Origin the UI is served from in the app (privileged custom scheme, see electron/window.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const ASSET_SCHEME = 'studio-asset';
/**
 * Thumbnail asset ids: `thumbs/<id>` is 512 px on the long side, `thumbs-256/<id>` 256 px, for a
 * picture drawn at most that many device pixels across (main's AssetServer makes and caches both).
 */
export const THUMB_PREFIX = 'thumbs/';
export const SMALL_THUMB_PREFIX = 'thumbs-256/';
export const THUMB_SIDE = 512;
export const SMALL_THUMB_SIDE = 256;
