/**
 * A fake `window.studio` for renderer unit tests: one vi.fn per invoke channel (built from the
 * shared channel list, like the preload), answering with Result envelopes, plus an event registry
 * so a test can push `jobs:progress` & co. Override any handler with `fake.handle(channel, fn)`.
 */
import { vi } from 'vitest';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  eventMethod,
  splitChannel,
  type EventChannel,
  type InvokeChannel,
} from '../../../shared/ipc/channels';
import type { EventPayload, Res, Result, RunSummaryT, SettingsViewT, TokenStatusT } from '../../../shared/ipc/contract';
import type { ErrorCode } from '../../../shared/errors';
import { BUILTIN_SCHEMA } from '../../../shared/model/builtin';

export const NO_TOKEN: TokenStatusT = { hasToken: false, account: null, storage: 'none', insecureBackend: false };
export const WITH_TOKEN: TokenStatusT = {
  hasToken: true,
  account: { username: 'ada', name: 'Ada Lovelace' },
  storage: 'encrypted',
  insecureBackend: false,
};

export function settingsView(over: Partial<SettingsViewT> = {}): SettingsViewT {
  return {
    libraryDir: '/Users/ada/Pictures/Sseelfie Studio',
    libraryIsDefault: true,
    defaultModel: 'sandrasocial/sseelfie-ai',
    apiBaseUrl: 'https://api.replicate.com/v1',
    apiBaseFromEnv: false,
    theme: 'system',
    concurrency: 2,
    uploadRetentionMinutes: 60,
    triggerWords: { 'sandrasocial/sseelfie-ai': 'subject' },
    exportDir: null,
    notices: [],
    ...over,
  };
}

export const EMPTY_TRAINING_SET = {
  id: 't_empty000',
  photos: [],
  summary: { included: 0, excluded: 0, unchecked: 0, ready: false, problems: [] },
  checkedAt: null,
};

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
export function fail(
  code: ErrorCode,
  message: string,
  fields?: Array<{ field: string; message: string }>,
): Result<never> {
  return { ok: false, error: fields ? { code, message, fields } : { code, message } };
}

type AnyHandler = (req: unknown) => Result<unknown> | Promise<Result<unknown>>;

export interface FakeStudio {
  api: Record<string, unknown>;
  /** the vi.fn behind each channel */
  fn: Record<InvokeChannel, ReturnType<typeof vi.fn>>;
  handle<C extends InvokeChannel>(channel: C, impl: (req: any) => Result<Res<C>> | Promise<Result<Res<C>>>): void;
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
  listenerCount(channel: EventChannel): number;
}

export function createFakeStudio(state: { token?: TokenStatusT; settings?: SettingsViewT } = {}): FakeStudio {
  let settings = state.settings ?? settingsView();
  const defaults: Record<InvokeChannel, AnyHandler> = {
    'app:info': () => ok({ version: '0.1.0', platform: 'darwin', userDataDir: '/tmp/u', logsDir: '/tmp/u/logs' }),
    'app:openExternal': () => ok(null),
    'app:showLogs': () => ok(null),
    'token:status': () => ok(state.token ?? NO_TOKEN),
    'token:set': () => ok(WITH_TOKEN),
    'token:clear': () => ok(NO_TOKEN),
    'settings:get': () => ok(settings),
    'settings:update': (req) => {
      const patch = { ...(req as Record<string, unknown>) };
      const dismiss = patch.dismissNotices === true;
      delete patch.dismissNotices;
      settings = { ...settings, ...(patch as Partial<SettingsViewT>), ...(dismiss ? { notices: [] } : {}) };
      return ok(settings);
    },
    'settings:chooseLibrary': () => ok(settings),
    'settings:useDefaultLibrary': () => ok(settings),
    'models:get': () =>
      ok({
        ref: 'sandrasocial/sseelfie-ai',
        owner: 'sandrasocial',
        name: 'sseelfie-ai',
        versionId: null,
        fields: BUILTIN_SCHEMA.fields,
        source: 'builtin' as const,
      }),
    'jobs:start': () => fail('internal', 'not stubbed'),
    'jobs:cancel': () => fail('internal', 'not stubbed'),
    'jobs:list': () => ok([]),
    'jobs:dismiss': () => ok(null),
    'library:list': () => ok([]),
    'library:get': () => fail('not_found', 'No such run.'),
    'library:reveal': () => ok(null),
    'library:remove': () =>
      ok({ token: 'del_1', state: 'pending' as const, photos: 1, runs: 1, undoUntil: Date.now() + 10_000 }),
    'jobs:retry': () =>
      fail('invalid_input', 'Only a job that stopped part-way can be tried again; generate a new one instead.'),
    'library:previous': () => ok(null),
    'library:movePrevious': () => fail('invalid_input', 'There is no previous library to move photos from.'),
    'library:cancelMove': () => ok(null),
    'library:openPrevious': () => ok(null),
    'library:forgetPrevious': () => ok(null),
    'library:setFlag': () => fail('not_found', 'This photo is no longer in the library.'),
    'library:setRating': () => fail('not_found', 'This photo is no longer in the library.'),
    // The gallery's index, played over whatever library:list answers (a test sets that one).
    'library:query': async (req) => ok(fakeQuery(await listed(), req as GalleryQueryLike)),
    'library:records': async (req) => {
      const ids = new Set((req as { runIds: string[] }).runIds);
      return ok((await listed()).filter((r) => ids.has(r.id)));
    },
    'library:deleteRejected': () => ok(null),
    'library:undoDelete': () => ok(null),
    'library:deletePermanently': () => fail('not_found', 'These photos are no longer waiting to be deleted.'),
    'library:deletions': () => ok([]),
    'selfies:import': () => ok({ imported: [], duplicates: [], errors: [] }),
    'selfies:list': () => ok([]),
    'selfies:remove': () => ok(null),
    'prompts:recent': () => ok([]),
    'presets:list': () => ok([]),
    'presets:save': () => ok([]),
    'presets:remove': () => ok([]),
    'network:status': () => ok({ online: true, since: 0 }),
    'export:photos': () => fail('internal', 'not stubbed'),
    'export:cancel': () => ok(null),
    'export:readSettingsFromFile': () => ok({ input: null, notes: [], source: null }),
    'export:copyToClipboard': () => ok(null),
    'export:startDrag': () => ok(null),
    'export:openPrediction': () => ok(null),
    'export:face': () => ok({ face: null }),
    'export:reveal': () => ok(null),
    'export:remixMask': () => fail('not_found', 'not stubbed'),
    'training:trainers': () => ok([]),
    'training:start': () => fail('internal', 'not stubbed'),
    'training:list': () => ok({ trainings: [], models: [] }),
    'training:cancel': () => fail('not_found', 'Unknown training.'),
    'training:retry': () => fail('not_found', 'Unknown training.'),
    'trainingset:list': () => ok(EMPTY_TRAINING_SET),
    'trainingset:add': () => ok({ set: EMPTY_TRAINING_SET, added: [], alreadyIn: [], errors: [] }),
    'trainingset:check': () => fail('invalid_input', 'Add photos of yourself first: there is nothing to check yet.'),
    'trainingset:cancel': () => ok(null),
    'trainingset:setIncluded': () => fail('not_found', 'That photo is no longer in the training set.'),
    'trainingset:setCaption': () => fail('not_found', 'That photo is no longer in the training set.'),
    'trainingset:remove': () => fail('not_found', 'That photo is no longer in the training set.'),
  };
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const fn = {} as Record<InvokeChannel, ReturnType<typeof vi.fn>>;
  let listImpl: AnyHandler = defaults['library:list'];
  const listed = async (): Promise<RunSummaryT[]> => {
    const r = await listImpl(undefined);
    return r.ok ? (r.value as RunSummaryT[]) : [];
  };
  const api: Record<string, Record<string, unknown>> = {};
  for (const ch of INVOKE_CHANNELS) {
    const [d, v] = splitChannel(ch);
    fn[ch] = vi.fn(async (req?: unknown) => defaults[ch](req));
    (api[d] ??= {})[v] = fn[ch];
  }
  for (const ch of EVENT_CHANNELS) {
    const [d, m] = eventMethod(ch);
    (api[d] ??= {})[m] = (cb: (p: unknown) => void) => {
      const set = listeners.get(ch) ?? new Set();
      listeners.set(ch, set);
      set.add(cb);
      return () => set.delete(cb);
    };
  }
  const full = { ...api, assetBase: 'studio-asset://asset/', platform: 'darwin' };
  return {
    api: full,
    fn,
    handle(channel, impl) {
      if (channel === 'library:list') listImpl = impl as AnyHandler;
      fn[channel].mockImplementation(async (req: unknown) => impl(req));
    },
    emit(channel, payload) {
      for (const cb of listeners.get(channel) ?? []) cb(payload);
    },
    listenerCount(channel) {
      return listeners.get(channel)?.size ?? 0;
    },
  };
}

interface GalleryQueryLike {
  filter?: { flag?: string; minRating?: number; search?: string; mode?: string };
  sort?: string;
}

/** A small stand-in for main's gallery query (electron/services/library/gallery-query.ts): flag, rating, search, mode. */
export function fakeQuery(runs: readonly RunSummaryT[], req: GalleryQueryLike | undefined) {
  const f = req?.filter ?? {};
  const words = (f.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const counts = {
    flag: { any: 0, pick: 0, reject: 0, unflagged: 0 },
    rating: [0, 0, 0, 0, 0, 0],
    model: [] as { value: string; count: number }[],
    aspect: [] as { value: string; count: number }[],
    mode: { txt2img: 0, img2img: 0, inpaint: 0 },
  };
  const items: { runId: string; index: number; rating: number; createdAt: number }[] = [];
  for (const r of runs) {
    const text = `${r.prompt} ${r.label}`.toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    if (f.mode && r.mode !== f.mode) continue;
    for (const im of r.images) {
      const flagOk = !f.flag || f.flag === 'any' || (f.flag === 'unflagged' ? im.flag === null : im.flag === f.flag);
      const ratingOk = (im.rating ?? 0) >= (f.minRating ?? 0);
      if (ratingOk) {
        counts.flag.any++;
        counts.flag[im.flag ?? 'unflagged']++;
      }
      if (flagOk) for (let n = 0; n <= (im.rating ?? 0); n++) counts.rating[n]!++;
      if (flagOk && ratingOk) {
        counts.mode[r.mode]++;
        items.push({ runId: r.id, index: im.index, rating: im.rating ?? 0, createdAt: r.createdAt });
      }
    }
  }
  if (req?.sort === 'oldest') items.reverse();
  if (req?.sort === 'rating') items.sort((a, b) => b.rating - a.rating);
  return { items: items.map(({ runId, index }) => ({ runId, index })), total: items.length, counts };
}

/** Installs the fake as `window.studio`. */
export function installFakeStudio(fake: FakeStudio): void {
  (window as unknown as { studio: unknown }).studio = fake.api;
  (globalThis as unknown as { studio: unknown }).studio = fake.api;
}

/** A saved run as main lists it (one 4:5 photo, seed 1234), for gallery and seed tests. */
export function sampleRun(createdAt: number): RunSummaryT {
  return {
    id: 'run_9',
    createdAt,
    prompt: 'subject in a sunlit studio',
    label: 'subject in a sunlit studio',
    modelRef: 'sandrasocial/sseelfie-ai',
    mode: 'txt2img',
    seed: 1234,
    images: [{ id: 'runs/run_9/0.webp', width: 896, height: 1088, index: 0, format: 'webp', flag: null, rating: 0 }],
    warnings: [],
  };
}
