/**
 * Mirrors of main's state (main owns the truth; see docs/architecture.md): the token status,
 * the settings (kept fresh by `settings:changed`), the jobs (fed by `jobs:progress`), the library
 * runs (refreshed on `library:changed`) and the model's input schema. `connectStudio()` wires the
 * events once at start-up and returns the function that unwires them.
 */
import { create } from 'zustand';
import type {
  ImportResultT,
  JobStartRequestT,
  JobViewT,
  ModelInfoT,
  PresetT,
  RunSummaryT,
  SelfieViewT,
  SettingsViewT,
  TokenStatusT,
} from '../../shared/ipc/contract';
import type { Req } from '../../shared/ipc/contract';
import { ACTIVE_JOB_STATES as ACTIVE_STATES } from '../../shared/job-states';
import { asClientError, client, events, type StudioClientError } from './client';
import { useNetwork } from '../features/network/network-store';
import { resetPreviousLibrary, usePreviousLibrary } from '../features/library/previous-library-store';
import { useCompare, useNav, useSelection } from './ui';

export { StudioClientError, client, assetUrl, thumbUrl, asClientError, modKeyLabel, platform } from './client';

// ---------- token ----------
interface TokenState {
  status: TokenStatusT | null;
  /** the first status call failed: the app cannot start without it */
  error: StudioClientError | null;
  refresh(): Promise<void>;
  /** throws StudioClientError (bad token, network…); the status is left as it was */
  set(token: string, allowPlaintext?: boolean): Promise<TokenStatusT>;
  clear(): Promise<TokenStatusT>;
}

export const useToken = create<TokenState>()((set) => ({
  status: null,
  error: null,
  async refresh() {
    try {
      set({ status: await client.token.status(), error: null });
    } catch (e) {
      set({ error: asClientError(e) });
    }
  },
  async set(token, allowPlaintext) {
    const req: Req<'token:set'> = allowPlaintext ? { token, allowPlaintext: true } : { token };
    const status = await client.token.set(req);
    set({ status, error: null });
    return status;
  },
  async clear() {
    const status = await client.token.clear();
    set({ status });
    return status;
  },
}));

// ---------- settings ----------
interface SettingsState {
  settings: SettingsViewT | null;
  error: StudioClientError | null;
  load(): Promise<void>;
  /** throws StudioClientError with `fields` for inline messages */
  update(patch: Req<'settings:update'>): Promise<SettingsViewT>;
  chooseLibrary(): Promise<SettingsViewT>;
  useDefaultLibrary(): Promise<SettingsViewT>;
  receive(view: SettingsViewT): void;
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: null,
  error: null,
  async load() {
    try {
      set({ settings: await client.settings.get(), error: null });
    } catch (e) {
      set({ error: asClientError(e) });
    }
  },
  async update(patch) {
    const view = await client.settings.update(patch);
    set({ settings: view });
    // The token is bound to the address it was checked with: a new address can change whether there is one.
    if (patch.apiBaseUrl !== undefined) void useToken.getState().refresh();
    return view;
  },
  async chooseLibrary() {
    const view = await client.settings.chooseLibrary();
    set({ settings: view });
    return view;
  },
  async useDefaultLibrary() {
    const view = await client.settings.useDefaultLibrary();
    set({ settings: view });
    return view;
  },
  receive(view) {
    set({ settings: view });
  },
}));

// ---------- model ----------
interface ModelState {
  info: ModelInfoT | null;
  loading: boolean;
  error: StudioClientError | null;
  /** the default model the current info was asked for (to reload when Settings change it) */
  requestedFor: string | null;
  /** ref defaults to the settings' default model (main decides) */
  load(opts?: { ref?: string; refresh?: boolean; forDefault?: string }): Promise<void>;
}

export const useModel = create<ModelState>()((set, get) => ({
  info: null,
  loading: false,
  error: null,
  requestedFor: null,
  async load(opts = {}) {
    set({ loading: true, error: null, ...(opts.forDefault !== undefined ? { requestedFor: opts.forDefault } : {}) });
    try {
      const req: Req<'models:get'> = {};
      if (opts.ref) req.ref = opts.ref;
      if (opts.refresh) req.refresh = true;
      const info = await client.models.get(req);
      set({ info, loading: false });
    } catch (e) {
      set({ error: asClientError(e), loading: false, info: get().info });
    }
  },
}));

// ---------- jobs ----------
/** Working on it now. A job that stopped part-way on an error (a full disk) is not: it waits for Try again. */
export function isActive(job: JobViewT): boolean {
  return ACTIVE_STATES.has(job.state) && !job.error;
}

/** Stopped part-way (its photos are safe in the rescue folder or on Replicate) and can be tried again. */
export function isStuck(job: JobViewT): boolean {
  return ACTIVE_STATES.has(job.state) && !!job.error;
}

interface JobsState {
  byId: Record<string, JobViewT>;
  /**
   * The request that started each job of this session (renderer-side only: main's JobView does
   * not carry it), so a failed job can be tried again through the normal start path. Dropped once
   * the job is saved, canceled or dismissed (a painted mask can weigh megabytes).
   */
  requests: Record<string, Req<'jobs:start'>>;
  error: StudioClientError | null;
  load(): Promise<void>;
  start(req: Req<'jobs:start'> | JobStartRequestT): Promise<JobViewT>;
  cancel(jobId: string): Promise<void>;
  dismiss(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
  receive(job: JobViewT): void;
}

/** A job that ended so it will not be tried again: its request is not needed any more. */
function requestDone(job: JobViewT): boolean {
  return job.state === 'saved' || job.state === 'canceled';
}

export const useJobs = create<JobsState>()((set) => ({
  byId: {},
  requests: {},
  error: null,
  async load() {
    try {
      const list = await client.jobs.list();
      set((s) => {
        const byId = { ...s.byId };
        for (const j of list) if (!byId[j.id] || byId[j.id]!.updatedAt <= j.updatedAt) byId[j.id] = j;
        return { byId, error: null };
      });
    } catch (e) {
      set({ error: asClientError(e) });
    }
  },
  async start(req) {
    const job = await client.jobs.start(req as Req<'jobs:start'>);
    set((s) => {
      const view = s.byId[job.id] && s.byId[job.id]!.updatedAt > job.updatedAt ? s.byId[job.id]! : job;
      return {
        byId: { ...s.byId, [job.id]: view },
        requests: requestDone(view) ? s.requests : { ...s.requests, [job.id]: req as Req<'jobs:start'> },
      };
    });
    return job;
  },
  async cancel(jobId) {
    const job = await client.jobs.cancel({ jobId });
    set((s) => ({ byId: { ...s.byId, [job.id]: job } }));
  },
  async retry(jobId) {
    const job = await client.jobs.retry({ jobId });
    set((s) => ({ byId: { ...s.byId, [job.id]: job } }));
  },
  async dismiss(jobId) {
    await client.jobs.dismiss({ jobId });
    set((s) => {
      const byId = { ...s.byId };
      delete byId[jobId];
      const requests = { ...s.requests };
      delete requests[jobId];
      return { byId, requests };
    });
  },
  receive(job) {
    // Events can arrive out of order with a start() reply: keep the newest view.
    set((s) => {
      const cur = s.byId[job.id];
      if (cur && cur.updatedAt > job.updatedAt) return s;
      if (requestDone(job) && s.requests[job.id]) {
        const requests = { ...s.requests };
        delete requests[job.id];
        return { byId: { ...s.byId, [job.id]: job }, requests };
      }
      return { byId: { ...s.byId, [job.id]: job } };
    });
  },
}));

/** newest first */
export function sortedJobs(byId: Record<string, JobViewT>): JobViewT[] {
  return Object.values(byId).sort((a, b) => b.createdAt - a.createdAt);
}

// ---------- library ----------
interface LibraryState {
  runs: RunSummaryT[];
  loaded: boolean;
  query: string;
  /** list only runs with a picked (starred) photo (the gallery's "Kept only" filter) */
  keptOnly: boolean;
  error: StudioClientError | null;
  refresh(): Promise<void>;
  setQuery(q: string): Promise<void>;
  setKeptOnly(on: boolean): Promise<void>;
  remove(runId: string): Promise<void>;
}

let libraryRequest = 0;
export const useLibrary = create<LibraryState>()((set, get) => ({
  runs: [],
  loaded: false,
  query: '',
  keptOnly: false,
  error: null,
  async refresh() {
    const mine = ++libraryRequest;
    try {
      const q = get().query.trim();
      const keptOnly = get().keptOnly;
      const runs = await client.library.list(
        q || keptOnly ? { ...(q ? { query: q } : {}), ...(keptOnly ? { picksOnly: true } : {}) } : undefined,
      );
      if (mine === libraryRequest) set({ runs, loaded: true, error: null });
    } catch (e) {
      if (mine === libraryRequest) set({ error: asClientError(e), loaded: true });
    }
  },
  async setQuery(q) {
    set({ query: q });
    await get().refresh();
  },
  async setKeptOnly(on) {
    set({ keptOnly: on });
    await get().refresh();
  },
  async remove(runId) {
    await client.library.remove({ runId });
    set((s) => ({ runs: s.runs.filter((r) => r.id !== runId) }));
  },
}));

// ---------- selfies ----------
interface SelfiesState {
  list: SelfieViewT[];
  loaded: boolean;
  error: StudioClientError | null;
  /** files being imported now (0: idle); imports started meanwhile wait their turn */
  importing: boolean;
  importingCount: number;
  /** what the imports since the last dismissal did: added selfies, files already on the shelf, per-file problems in `errors` */
  lastImport: ImportResultT | null;
  importError: StudioClientError | null;
  load(): Promise<void>;
  /** main copies the files, applies orientation and strips metadata; never throws */
  importFiles(files: File[]): Promise<void>;
  clearImport(): void;
  remove(id: string): Promise<boolean>;
}

let importChain: Promise<void> = Promise.resolve();

export const useSelfies = create<SelfiesState>()((set, get) => ({
  list: [],
  loaded: false,
  error: null,
  importing: false,
  importingCount: 0,
  lastImport: null,
  importError: null,
  async load() {
    try {
      set({ list: await client.selfies.list(), loaded: true, error: null });
    } catch (e) {
      set({ error: asClientError(e), loaded: true });
    }
  },
  importFiles(files) {
    if (!files.length) return Promise.resolve();
    // A fresh batch starts a fresh report; files dropped while importing join the running one.
    if (!get().importing) set({ lastImport: null, importError: null });
    set((s) => ({ importing: true, importingCount: s.importingCount + files.length }));
    const run = async () => {
      try {
        const r = await client.selfies.import({ files });
        set((s) => ({
          lastImport: {
            imported: [...(s.lastImport?.imported ?? []), ...r.imported],
            duplicates: [...(s.lastImport?.duplicates ?? []), ...r.duplicates],
            errors: [...(s.lastImport?.errors ?? []), ...r.errors],
          },
        }));
        await get().load();
      } catch (e) {
        set({ importError: asClientError(e) });
      } finally {
        set((s) => {
          const importingCount = Math.max(0, s.importingCount - files.length);
          return { importingCount, importing: importingCount > 0 };
        });
      }
    };
    importChain = importChain.then(run, run);
    return importChain;
  },
  clearImport() {
    set({ lastImport: null, importError: null });
  },
  async remove(id) {
    try {
      await client.selfies.remove({ id });
      set((s) => ({ list: s.list.filter((x) => x.id !== id), error: null }));
      return true;
    } catch (e) {
      set({ error: asClientError(e) });
      return false;
    }
  },
}));

// ---------- recent prompts ----------
interface PromptsState {
  recent: string[];
  refresh(): Promise<void>;
}

export const usePrompts = create<PromptsState>()((set) => ({
  recent: [],
  async refresh() {
    try {
      set({ recent: await client.prompts.recent() });
    } catch {
      // suggestions only: nothing to tell the person
    }
  },
}));

// ---------- presets ----------
interface PresetsState {
  list: PresetT[];
  loaded: boolean;
  load(): Promise<void>;
  /** throws StudioClientError (e.g. no name) */
  save(name: string, values: Record<string, string | number | boolean>): Promise<void>;
  remove(name: string): Promise<void>;
}

export const usePresets = create<PresetsState>()((set) => ({
  list: [],
  loaded: false,
  async load() {
    try {
      set({ list: await client.presets.list(), loaded: true });
    } catch {
      set({ loaded: true });
    }
  },
  async save(name, values) {
    set({ list: await client.presets.save({ name, values }), loaded: true });
  },
  async remove(name) {
    set({ list: await client.presets.remove({ name }) });
  },
}));

// ---------- library switch ----------
/**
 * Another folder is the library now (`library:changed` 'switched'): every mirror of the old one
 * goes, since main no longer serves its files (they would show as broken images): the Results
 * column's jobs, the selfie shelf, the gallery list, the compare tray, the open run and the
 * starting photo. Then everything is read again from the new library.
 */
export function libraryReplaced(): void {
  useJobs.setState({ byId: {}, requests: {}, error: null });
  useSelfies.setState({ list: [], loaded: false, error: null, lastImport: null, importError: null });
  useLibrary.setState({ runs: [], loaded: false, error: null });
  useCompare.getState().clear();
  if (useNav.getState().openRunId) useNav.getState().openRun(null);
  if (useSelection.getState().source) useSelection.getState().setSource(null);
  usePreviousLibrary.getState().reset();
  void useJobs.getState().load();
  void useSelfies.getState().load();
  void useLibrary.getState().refresh();
  void usePreviousLibrary.getState().load();
}

// ---------- wiring ----------
/** Loads the first state and subscribes to main's events. Returns the unsubscribe. */
export function connectStudio(): () => void {
  const ev = events();
  const offs = [
    ev.settings.onChanged((v) => useSettings.getState().receive(v)),
    ev.jobs.onProgress((j) => useJobs.getState().receive(j)),
    ev.library.onChanged((e) => (e.reason === 'switched' ? libraryReplaced() : void useLibrary.getState().refresh())),
    ev.library.onMoveProgress((p) => {
      usePreviousLibrary.getState().receive(p);
      // moved selfies are on this library's shelf now (the runs come with 'rebuilt')
      if (p.state !== 'moving') void useSelfies.getState().load();
    }),
    ev.network.onChanged((s) => useNetwork.getState().receive(s)),
  ];
  void useNetwork.getState().load();
  void useToken.getState().refresh();
  void useSettings.getState().load();
  void useJobs.getState().load();
  void useLibrary.getState().refresh();
  void useSelfies.getState().load();
  void usePrompts.getState().refresh();
  void usePresets.getState().load();
  void usePreviousLibrary.getState().load();
  return () => {
    for (const off of offs) off();
  };
}

/** For tests: back to a blank slate. */
export function resetStudioStores(): void {
  useToken.setState({ status: null, error: null });
  useSettings.setState({ settings: null, error: null });
  useModel.setState({ info: null, loading: false, error: null, requestedFor: null });
  useJobs.setState({ byId: {}, requests: {}, error: null });
  useLibrary.setState({ runs: [], loaded: false, query: '', keptOnly: false, error: null });
  useSelfies.setState({
    list: [],
    loaded: false,
    error: null,
    importing: false,
    importingCount: 0,
    lastImport: null,
    importError: null,
  });
  importChain = Promise.resolve();
  usePrompts.setState({ recent: [] });
  usePresets.setState({ list: [], loaded: false });
  resetPreviousLibrary();
}
