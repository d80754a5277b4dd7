/**
 * First start: what the app does, the API token, and (under Advanced) where requests go.
 * A rejected token keeps the person on the form with Replicate's reason; an accepted one shows
 * the account it belongs to before they continue to the studio.
 */
import { useState } from 'react';
import type { TokenStatusT } from '../../../shared/ipc/contract';
import { useToken } from './token-store';
import { useNav } from '../../app/nav-store';
import { Disclosure } from '../../app/controls';
import { AppMark, IconCheck } from '../../app/icons';
import { ApiBaseUrlField } from '../settings/ApiBaseUrlField';
import { TokenForm, accountLabel, storageLabel } from './TokenForm';

export function Welcome() {
  const status = useToken((s) => s.status);
  const setWelcome = useNav((s) => s.setWelcome);
  const [saved, setSaved] = useState<TokenStatusT | null>(null);

  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <div className="welcome-card">
        <div className="welcome-brand">
          <AppMark size={44} />
          <h1 id="welcome-title">Welcome to Sseelfie Studio</h1>
        </div>
        <p className="welcome-lede">
          Make brand photos of yourself from a sentence, or from one of your selfies, with your own FLUX model on
          Replicate.
          <br />
          Your token and your photos stay on this computer; pictures go only to Replicate, to be generated.
        </p>

        {saved ? (
          <section className="welcome-done" aria-live="polite">
            <div className="success-badge">
              <IconCheck size={20} />
            </div>
            <div>
              <p className="welcome-done-title" data-testid="account-name">
                Connected as {accountLabel(saved)}
              </p>
              <p className="muted">{storageLabel(saved.storage)}</p>
            </div>
            <button
              type="button"
              className="button button--primary button--large"
              autoFocus
              onClick={() => setWelcome('done')}
            >
              Open the studio
            </button>
          </section>
        ) : (
          <>
            {status?.tokenHost ? (
              <p className="notice" role="note" data-testid="token-elsewhere">
                Your saved token belongs to {status.tokenHost}, not to this API address, so it is not sent here. Enter a
                token for this server, or switch the address back under Advanced.
              </p>
            ) : null}
            <TokenForm
              insecureBackend={status?.insecureBackend ?? false}
              onSaved={setSaved}
              submitLabel="Save and connect"
              autoFocus
            />
            <div className="welcome-footer">
              <Disclosure title="Advanced">
                <ApiBaseUrlField />
              </Disclosure>
              <button type="button" className="link-button link-button--muted" onClick={() => setWelcome('done')}>
                Not now, just look around
              </button>
            </div>
          </>
        )}
      </div>
    </main>
  );
}
