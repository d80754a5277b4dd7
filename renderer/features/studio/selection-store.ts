/** UI-only state: the photo the next generation starts from. */
import { create } from 'zustand';

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

export function resetSelection(): void {
  useSelection.setState({ source: null });
}
