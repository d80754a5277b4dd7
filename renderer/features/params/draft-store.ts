/** UI-only state: the draft prompt and parameters. */
import { create } from 'zustand';

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

export function resetDraft(): void {
  useDraft.setState({ prompt: '', values: {}, raw: {}, serverIssues: [] });
}
