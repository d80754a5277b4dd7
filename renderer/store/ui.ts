/**
 * UI-only state (never sent to main as truth): which view is showing, which run is open in the
 * gallery, the photo the next generation starts from, and the draft prompt and parameters.
 * Small slices, read with selectors.
 */
import { create } from 'zustand';

export type View = 'studio' | 'gallery' | 'settings' | 'train';
// Train is last so Settings keeps Cmd/Ctrl+3
export const VIEWS: readonly View[] = ['studio', 'gallery', 'settings', 'train'];

interface NavState {
  view: View;
  /** gallery detail */
  openRunId: string | null;
  /** the view a run's page was opened from: its back button and Esc return there */
  runFrom: View;
  /**
   * pending: token status not known yet; show: first start (no token); done: the person saved a
   * token and continued, or chose "Not now". Removing the token later keeps them in the studio.
   */
  welcome: 'pending' | 'show' | 'done';
  go(view: View): void;
  /** open a run's page (remembering where from), or null: back where it was opened from */
  openRun(runId: string | null): void;
  /** the gallery's grid of runs (Cmd/Ctrl+2, the toolbar's Gallery) */
  showGallery(): void;
  setWelcome(w: 'show' | 'done'): void;
}

export const useNav = create<NavState>()((set) => ({
  view: 'studio',
  openRunId: null,
  runFrom: 'gallery',
  welcome: 'pending',
  go: (view) => set({ view }),
  openRun: (openRunId) =>
    set((s) =>
      openRunId
        ? // from one run's page to another (the comparison's "Open in Gallery"): back is still where the first came from
          { openRunId, view: 'gallery', runFrom: s.view === 'gallery' && s.openRunId ? s.runFrom : s.view }
        : { openRunId: null, view: s.openRunId && s.view === 'gallery' ? s.runFrom : s.view },
    ),
  showGallery: () => set({ view: 'gallery', openRunId: null }),
  setWelcome: (welcome) => set({ welcome }),
}));

/** The photo a generation starts from (img2img / inpainting): an asset main can serve. */
export interface SourceImage {
  assetId: string;
  width: number;
  height: number;
  /** where it came from, in words: "Result of “woman in a café…”" */
  label: string;
}

interface SelectionState {
  source: SourceImage | null;
  setSource(src: SourceImage | null): void;
}

export const useSelection = create<SelectionState>()((set) => ({
  source: null,
  setSource: (source) => set({ source }),
}));

/** The form the person is filling in: the prompt and only the fields they changed. */
export type DraftValue = string | number | boolean;
export interface DraftIssue {
  field: string;
  message: string;
}
interface DraftState {
  prompt: string;
  /** field → typed value (numbers as numbers); a field absent here shows its default */
  values: Record<string, DraftValue>;
  /** field → text in a number box while it is being edited (may not be a number yet) */
  raw: Record<string, string>;
  /** field messages main returned for the last Generate; cleared by any edit */
  serverIssues: DraftIssue[];
  setPrompt(p: string): void;
  setValue(field: string, v: DraftValue | undefined): void;
  /** a number box changed: keep the text, and the number when it is one */
  setNumberText(field: string, text: string, parsed: number | undefined): void;
  /** a number box lost focus: show the typed number in its canonical form */
  commitNumberText(field: string): void;
  setServerIssues(issues: DraftIssue[]): void;
  load(prompt: string, values: Record<string, DraftValue>): void;
  resetValues(): void;
}

function without<T>(o: Record<string, T>, k: string): Record<string, T> {
  if (!(k in o)) return o;
  const c = { ...o };
  delete c[k];
  return c;
}

export const useDraft = create<DraftState>()((set) => ({
  prompt: '',
  values: {},
  raw: {},
  serverIssues: [],
  setPrompt: (prompt) => set({ prompt, serverIssues: [] }),
  setValue: (field, v) =>
    set((s) => ({
      values: v === undefined ? without(s.values, field) : { ...s.values, [field]: v },
      raw: without(s.raw, field),
      serverIssues: [],
    })),
  setNumberText: (field, text, parsed) =>
    set((s) => ({
      raw: { ...s.raw, [field]: text },
      values: parsed === undefined ? without(s.values, field) : { ...s.values, [field]: parsed },
      serverIssues: [],
    })),
  commitNumberText: (field) =>
    set((s) => {
      const text = s.raw[field];
      if (text === undefined) return s;
      // Keep text that is not a number, so its message stays visible until it is fixed.
      if (text.trim() !== '' && typeof s.values[field] !== 'number') return s;
      return { raw: without(s.raw, field) };
    }),
  setServerIssues: (serverIssues) => set({ serverIssues }),
  load: (prompt, values) => set({ prompt, values, raw: {}, serverIssues: [] }),
  resetValues: () => set({ values: {}, raw: {}, serverIssues: [] }),
}));

/** Locks the seed to a value ("Reuse this seed"): the next photos use it until set to Random. */
export function lockSeed(seed: number): void {
  useDraft.getState().setValue('seed', seed);
}

/** A photo picked for side-by-side comparison (from the results or a run in the gallery). */
export interface CompareItem {
  /** the image's asset id (unique) */
  id: string;
  runId: string;
  width: number;
  height: number;
  /** 0-based position in its run */
  index: number;
  /** photos in that run */
  of: number;
  prompt: string;
  seed: number | null;
}

export const COMPARE_MAX = 4;

interface CompareState {
  items: CompareItem[];
  open: boolean;
  toggle(item: CompareItem): void;
  remove(id: string): void;
  clear(): void;
  setOpen(open: boolean): void;
}

export const useCompare = create<CompareState>()((set) => ({
  items: [],
  open: false,
  toggle: (item) =>
    set((s) => {
      if (s.items.some((x) => x.id === item.id)) return { items: s.items.filter((x) => x.id !== item.id) };
      if (s.items.length >= COMPARE_MAX) return s;
      return { items: [...s.items, item] };
    }),
  remove: (id) =>
    set((s) => {
      const items = s.items.filter((x) => x.id !== id);
      return { items, open: s.open && items.length >= 2 };
    }),
  clear: () => set({ items: [], open: false }),
  setOpen: (open) => set({ open }),
}));

/** The keyboard shortcuts list ("?", features/shortcuts/ShortcutsOverlay.tsx) is open. */
interface ShortcutsHelpState {
  open: boolean;
  setOpen(open: boolean): void;
}
export const useShortcutsHelp = create<ShortcutsHelpState>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));

/** Short confirmations ("Seed 1234 locked"), shown for a few seconds at the bottom of the window. */
export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'ok' | 'error';
}
interface ToastState {
  toasts: Toast[];
  show(text: string, tone?: Toast['tone']): void;
  dismiss(id: number): void;
}
let toastId = 0;
export const useToasts = create<ToastState>()((set) => ({
  toasts: [],
  show: (text, tone = 'ok') =>
    set((s) => ({ toasts: [...s.toasts.filter((t) => t.text !== text), { id: ++toastId, text, tone }].slice(-3) })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export function resetUiStores(): void {
  useCompare.setState({ items: [], open: false });
  useShortcutsHelp.setState({ open: false });
  useToasts.setState({ toasts: [] });
  useNav.setState({ view: 'studio', openRunId: null, runFrom: 'gallery', welcome: 'pending' });
  useSelection.setState({ source: null });
  useDraft.setState({ prompt: '', values: {}, raw: {}, serverIssues: [] });
}
