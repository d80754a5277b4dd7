/**
 * UI-only state (never sent to main as truth): which view is showing and which run is open in the
 * gallery.
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

export function resetNav(): void {
  useNav.setState({ view: 'studio', openRunId: null, runFrom: 'gallery', welcome: 'pending' });
}
