/** A banner for a notice or a problem, and the empty state of a view. */
import { type ReactNode } from 'react';
import { IconAlert, IconInfo, IconX } from '../icons';

export function Banner({
  tone,
  children,
  onDismiss,
  dismissLabel = 'Dismiss',
  action,
}: {
  tone: 'info' | 'warning' | 'error';
  children: ReactNode;
  onDismiss?: () => void;
  dismissLabel?: string;
  action?: ReactNode;
}) {
  return (
    <div className={`banner banner--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {tone === 'info' ? <IconInfo size={18} /> : <IconAlert size={18} />}
      <div className="banner-body">{children}</div>
      {action}
      {onDismiss ? (
        <button
          type="button"
          className="icon-button"
          aria-label={dismissLabel}
          title={dismissLabel}
          onClick={onDismiss}
        >
          <IconX size={16} />
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  testId,
}: {
  icon?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="empty-state" data-testid={testId}>
      {icon ? <div className="empty-icon">{icon}</div> : null}
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
