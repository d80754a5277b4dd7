/**
 * The root: waits for the token status, shows the welcome on first start, then the shell.
 * The theme follows the system unless Settings forces light or dark.
 */
import { useEffect } from 'react';
import { useSettings } from '../features/settings/settings-store';
import { useToken } from '../features/welcome/token-store';
import { useNav } from './nav-store';
import { Welcome } from '../features/welcome/Welcome';
import { Shell } from './Shell';
import { Spinner } from './controls';
import { AppMark, IconAlert } from './icons';

export function useApplyTheme(): void {
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

export function App() {
  useApplyTheme();
  const status = useToken((s) => s.status);
  const tokenError = useToken((s) => s.error);
  const refresh = useToken((s) => s.refresh);
  const welcome = useNav((s) => s.welcome);
  const setWelcome = useNav((s) => s.setWelcome);

  useEffect(() => {
    if (status && welcome === 'pending') setWelcome(status.hasToken ? 'done' : 'show');
  }, [status, welcome, setWelcome]);

  if (!status) {
    if (tokenError) {
      return (
        <main className="splash">
          <div className="splash-card" role="alert">
            <IconAlert size={28} />
            <h1>Sseelfie Studio could not start</h1>
            <p>{tokenError.message}</p>
            <button type="button" className="button button--primary" onClick={() => void refresh()}>
              Try again
            </button>
          </div>
        </main>
      );
    }
    return (
      <main className="splash" aria-busy="true">
        <AppMark size={48} />
        <Spinner label="Starting Sseelfie Studio" />
      </main>
    );
  }
  if (welcome === 'show') return <Welcome />;
  if (welcome === 'pending') return null;
  return <Shell />;
}
