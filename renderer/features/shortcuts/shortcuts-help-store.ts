import { create } from 'zustand';

/** The keyboard shortcuts list ("?", features/shortcuts/ShortcutsOverlay.tsx) is open. */
interface ShortcutsHelpState {
  open: boolean;
  setOpen(open: boolean): void;
}
export const useShortcutsHelp = create<ShortcutsHelpState>()((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));

export function resetShortcutsHelp(): void {
  useShortcutsHelp.setState({ open: false });
}
