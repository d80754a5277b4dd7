/**
 * The window's frame: a toolbar with the app mark, the view switcher (Studio, Gallery, Settings;
 * Cmd/Ctrl+1/2/3) and the account, one-time notices from main, then the current view.
 */
import { useEffect, type ReactNode } from 'react';
import { modKeyLabel, useJobs, useSettings, useToken } from '../store/studio';
import { useNav, useToasts, VIEWS, type Toast, type View } from '../store/ui';
import { StudioView } from '../features/studio/StudioView';
import { CompareView } from '../features/compare/CompareView';
import { photosInProgress, photosInProgressLabel } from '../features/results/counts';
import { GalleryView } from '../features/gallery/GalleryView';
import { SettingsView } from '../features/settings/SettingsView';
import { accountLabel } from '../features/welcome/TokenForm';
import { OfflineBanner } from '../features/network/OfflineBanner';
import { Banner, Spinner } from './controls';
import { AppMark, IconAlert, IconCheck, IconGear, IconGrid, IconInfo, IconKey, IconSparkles, IconX } from './icons';

const NAV: Record<View, { label: string; icon: ReactNode }> = {
  studio: { label: 'Studio', icon: <IconSparkles size={16} /> },
  gallery: { label: 'Gallery', icon: <IconGrid size={16} /> },
  settings: { label: 'Settings', icon: <IconGear size={16} /> },
};

/** Cmd+1/2/3 on macOS, Ctrl+1/2/3 elsewhere (either works everywhere). */
export function useViewShortcuts(): void {
  const go = useNav((s) => s.go);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!(e.metaKey || e.ctrlKey) || e.altKey || e.shiftKey) return;
      const i = ['1', '2', '3'].indexOf(e.key);
      if (i < 0) return;
      e.preventDefault();
      go(VIEWS[i]!);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);
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
      {toast.tone === 'ok' ? <IconCheck size={15} /> : toast.tone === 'error' ? <IconAlert size={15} /> : <IconInfo size={15} />}
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
  const status = useToken((s) => s.status);
  const mod = modKeyLabel();

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
              onClick={() => go(v)}
              title={`${NAV[v].label} (${mod}${i + 1})`}
              aria-keyshortcuts={`Control+${i + 1} Meta+${i + 1}`}
            >
              {NAV[v].icon}
              <span>{NAV[v].label}</span>
            </button>
          ))}
        </nav>
        <div className="toolbar-end">
          <ActiveJobsChip />
          {status?.hasToken ? (
            <button type="button" className="chip" onClick={() => go('settings')} title="Replicate account (Settings)" data-testid="toolbar-account">
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
      <div className="view" data-view={view}>
        {view === 'studio' ? <StudioView /> : view === 'gallery' ? <GalleryView /> : <SettingsView />}
      </div>
      <CompareView />
      <Toasts />
    </div>
  );
}
