/** UI-only state: the photos picked for the side-by-side comparison, and whether it is open. */
import { create } from 'zustand';

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

export function resetCompare(): void {
  useCompare.setState({ items: [], open: false });
}
