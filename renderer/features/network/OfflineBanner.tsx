/**
 * One sentence while Replicate cannot be reached, instead of every job card repeating its own
 * retries: the jobs wait in main and continue by themselves when the connection returns.
 */
import { Banner } from '../../app/controls';
import { useNetwork } from './network-store';

export function OfflineBanner() {
  const online = useNetwork((s) => s.state.online);
  if (online) return null;
  return (
    <div className="notices" data-testid="offline-banner">
      <Banner tone="warning">
        <p>
          <strong>Offline:</strong> Replicate cannot be reached. Your jobs continue when the connection returns; nothing
          is lost or billed twice.
        </p>
      </Banner>
    </div>
  );
}
