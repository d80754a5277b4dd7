/**
 * The one place that subscribes to main's events and wires them to the feature slices (main owns
 * the truth; see docs/architecture.md): `settings:changed` to the settings, `jobs:progress` to the
 * jobs, `library:changed` to the photos' flags and ratings (or, for another folder, every mirror of the old
 * library), the move's progress and the network state. `connectStudio()` runs once at start-up
 * and returns the function that unwires them.
 */
import { events } from './client';
import { useNav } from './nav-store';
import { useNetwork } from '../features/network/network-store';
import { usePreviousLibrary } from '../features/library/previous-library-store';
import { useToken } from '../features/welcome/token-store';
import { useSettings } from '../features/settings/settings-store';
import { useJobs } from '../features/results/jobs-store';
import { forgetRuns, refreshKnownRuns, useKeep } from '../features/results/keep';
import { useSelfies } from '../features/studio/selfies-store';
import { useSelection } from '../features/studio/selection-store';
import { usePrompts } from '../features/prompt/prompts-store';
import { usePresets } from '../features/params/presets-store';
import { useCompare } from '../features/compare/compare-store';

// ---------- library switch ----------
/**
 * Another folder is the library now (`library:changed` 'switched'): every mirror of the old one
 * goes, since main no longer serves its files (they would show as broken images): the Results
 * column's jobs, the selfie shelf, the photos' flags, the compare tray, the open run and the
 * starting photo. Then everything is read again from the new library.
 */
export function libraryReplaced(): void {
  useJobs.setState({ byId: {}, requests: {}, error: null });
  useSelfies.setState({ list: [], loaded: false, error: null, lastImport: null, importError: null });
  forgetRuns(Object.keys(useKeep.getState().runs));
  useCompare.getState().clear();
  if (useNav.getState().openRunId) useNav.getState().openRun(null);
  if (useSelection.getState().source) useSelection.getState().setSource(null);
  usePreviousLibrary.getState().reset();
  void useJobs.getState().load();
  void useSelfies.getState().load();
  void usePreviousLibrary.getState().load();
}

// ---------- wiring ----------
/** Loads the first state and subscribes to main's events. Returns the unsubscribe. */
export function connectStudio(): () => void {
  const ev = events();
  const offs = [
    ev.settings.onChanged((v) => useSettings.getState().receive(v)),
    ev.jobs.onProgress((j) => useJobs.getState().receive(j)),
    ev.library.onChanged((e) => (e.reason === 'switched' ? libraryReplaced() : refreshKnownRuns(e.runId))),
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
  void useSelfies.getState().load();
  void usePrompts.getState().refresh();
  void usePresets.getState().load();
  void usePreviousLibrary.getState().load();
  return () => {
    for (const off of offs) off();
  };
}
