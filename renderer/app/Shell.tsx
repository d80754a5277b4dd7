/**
 * The window's frame: a toolbar with the app mark, the view switcher (Studio, Gallery, Settings;
 * Cmd/Ctrl+1/2/3/4) and the account, one-time notices from main, then the current view (the
 * gallery's grid or a run's page, routed here), the comparison and the shortcuts list ("?").
 * After a switch the focus goes to the view's heading, so a screen reader says where you are and
 * Tab goes on from there.
 */
import { useEffect, useRef, type ReactNode, type RefObject } from 'react';
import { platform } from './client';
import { useJobs } from '../features/results/jobs-store';
import { useSettings } from '../features/settings/settings-store';
import { useToken } from '../features/welcome/token-store';
import { useNav, VIEWS, type View } from './nav-store';
import { useToasts, type Toast } from './toasts-store';
import { StudioView } from '../features/studio/StudioView';
import { CompareView } from '../features/compare/CompareView';
import { photosInProgress, photosInProgressLabel } from '../features/results/counts';
import { GalleryView } from '../features/gallery/GalleryView';
import { RunDetailView } from '../features/gallery/RunDetail';
import { ShortcutsOverlay } from '../features/shortcuts/ShortcutsOverlay';
import { KEYS, ariaKeys, comboText, hitIndex } from '../features/shortcuts/keymap';
import { SettingsView } from '../features/settings/SettingsView';
import { TrainView } from '../features/training/TrainView';
import { accountLabel } from '../features/welcome/TokenForm';
import { OfflineBanner } from '../features/network/OfflineBanner';
import { Banner, Spinner } from './controls';
import {
  AppMark,
  IconAlert,
  IconCamera,
  IconCheck,
  IconGear,
  IconGrid,
  IconInfo,
  IconKey,
  IconSparkles,
  IconX,
} from './icons';

const NAV: Record<View, { label: string; icon: ReactNode }> = {
  studio: { label: 'Studio', icon: <IconSparkles size={16} /> },
  gallery: { label: 'Gallery', icon: <IconGrid size={16} /> },
  train: { label: 'Train', icon: <IconCamera size={16} /> },
  settings: { label: 'Settings', icon: <IconGear size={16} /> },
};

/** Opens a view as the toolbar does: the Gallery is its grid of runs, even from a run's page. */
function useGoView(): (v: View) => void {
  const go = useNav((s) => s.go);
  const showGallery = useNav((s) => s.showGallery);
  return (v) => (v === 'gallery' ? showGallery() : go(v));
}

/** Cmd+1–4 on macOS, Ctrl+1–4 elsewhere (either works everywhere): keymap.ts KEYS.views. */
export function useViewShortcuts(): void {
  const goView = useGoView();
  const ref = useRef(goView);
  ref.current = goView;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const i = hitIndex(KEYS.views, e);
      if (i < 0 || !VIEWS[i]) return;
      e.preventDefault();
      ref.current(VIEWS[i]);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/**
 * After the view (or the run shown) changes, not on the first paint: focus on the view's h1
 * (tabIndex -1, so it takes the focus without being a Tab stop).
 */
function useFocusViewHeading(box: RefObject<HTMLDivElement | null>, key: string): void {
  const last = useRef(key);
  useEffect(() => {
    if (last.current === key) return;
    last.current = key;
    const h1 = box.current?.querySelector<HTMLElement>('h1');
    if (!h1) return;
    if (!h1.hasAttribute('tabindex')) h1.tabIndex = -1;
    h1.focus({ preventScroll: true });
  }, [box, key]);
}

/**
 * Files dropped where nothing takes them (the toolbar, the gallery) must not make the window
 * navigate to the file.
 */
export function usePreventFileNavigation(): void {
  useEffect(() => {
    const stop = (e: DragEvent) => {
      if (Array.from(e.dataTransfer?.types ?? []).includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);
}

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useToasts((s) => s.dismiss);
  useEffect(() => {
    const t = setTimeout(() => dismiss(toast.id), toast.tone === 'error' ? 9000 : 4500);
    return () => clearTimeout(t);
  }, [toast.id, toast.tone, dismiss]);
  return (
    <div className={`toast toast--${toast.tone}`}>
      {toast.tone === 'ok' ? (
        <IconCheck size={15} />
      ) : toast.tone === 'error' ? (
        <IconAlert size={15} />
      ) : (
        <IconInfo size={15} />
      )}
      <span>{toast.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss message" onClick={() => dismiss(toast.id)}>
        <IconX size={13} />
      </button>
    </div>
  );
}

/** Short confirmations at the bottom of the window ("Seed 1234 locked…"). */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}

const NO_NOTICES: readonly string[] = [];

export function Notices() {
  const notices = useSettings((s) => s.settings?.notices ?? NO_NOTICES);
  const update = useSettings((s) => s.update);
  if (!notices.length) return null;
  return (
    <div className="notices" data-testid="notices">
      <Banner
        tone="warning"
        dismissLabel="Dismiss notice"
        onDismiss={() => {
          void update({ dismissNotices: true }).catch(() => undefined);
        }}
      >
        {notices.map((n, i) => (
          <p key={i}>{n}</p>
        ))}
      </Banner>
    </div>
  );
}

function ActiveJobsChip() {
  const running = useJobs((s) => photosInProgress(Object.values(s.byId)));
  const go = useNav((s) => s.go);
  if (!running) return null;
  return (
    <button type="button" className="chip chip--busy" onClick={() => go('studio')} title="Show progress in the Studio">
      <Spinner /> {photosInProgressLabel(running)}
    </button>
  );
}

export function Shell() {
  useViewShortcuts();
  usePreventFileNavigation();
  const view = useNav((s) => s.view);
  const go = useNav((s) => s.go);
  const goView = useGoView();
  const openRunId = useNav((s) => s.openRunId);
  const runFrom = useNav((s) => s.runFrom);
  const openRun = useNav((s) => s.openRun);
  const status = useToken((s) => s.status);
  const mac = platform() === 'darwin';
  const box = useRef<HTMLDivElement>(null);
  const page = view === 'gallery' && openRunId ? `run:${openRunId}` : view;
  useFocusViewHeading(box, page);

  return (
    <div className="shell">
      <header className="toolbar">
        <div className="toolbar-brand">
          <AppMark size={24} />
          <span className="toolbar-title">Sseelfie Studio</span>
        </div>
        <nav className="toolbar-nav" aria-label="Views">
          {VIEWS.map((v, i) => (
            <button
              key={v}
              type="button"
              className="nav-item"
              aria-current={view === v ? 'page' : undefined}
              onClick={() => goView(v)}
              title={`${NAV[v].label} (${comboText(KEYS.views.combos[i]!, mac)})`}
              aria-keyshortcuts={ariaKeys(KEYS.views.combos[i]!, mac)}
            >
              {NAV[v].icon}
              <span>{NAV[v].label}</span>
            </button>
          ))}
        </nav>
        <div className="toolbar-end">
          <ActiveJobsChip />
          {status?.hasToken ? (
            <button
              type="button"
              className="chip"
              onClick={() => go('settings')}
              title="Replicate account (Settings)"
              data-testid="toolbar-account"
            >
              <span className="avatar" aria-hidden="true">
                {(status.account?.name ?? status.account?.username ?? '?').slice(0, 1).toUpperCase()}
              </span>
              <span className="chip-text">{status.account ? accountLabel(status) : 'Connected'}</span>
            </button>
          ) : (
            <button type="button" className="chip chip--warn" onClick={() => go('settings')}>
              <IconKey size={14} /> Add API token
            </button>
          )}
        </div>
      </header>
      <OfflineBanner />
      <Notices />
      <div className="view" data-view={view} ref={box}>
        {view === 'studio' ? (
          <StudioView />
        ) : view === 'gallery' ? (
          openRunId ? (
            <RunDetailView key={openRunId} runId={openRunId} backTo={runFrom} onBack={() => openRun(null)} />
          ) : (
            <GalleryView />
          )
        ) : view === 'train' ? (
          <TrainView />
        ) : (
          <SettingsView />
        )}
      </div>
      <CompareView />
      <ShortcutsOverlay />
      <Toasts />
    </div>
  );
}
