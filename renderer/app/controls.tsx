/**
 * Small accessible building blocks shared by the views: a labelled field with help and error
 * text, a switch, a segmented control (radio group), a disclosure, a banner and a spinner.
 * Errors are always words with an icon, never colour alone.
 */
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { IconAlert, IconChevron, IconInfo, IconX } from './icons';

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role={label ? 'status' : undefined} aria-label={label} aria-hidden={label ? undefined : true} />;
}

export function ErrorText({ id, children }: { id?: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="field-error" id={id}>
      <IconAlert size={14} />
      <span>{children}</span>
    </p>
  );
}

/** A labelled control. `children` gets the ids to wire aria-describedby. */
export function Field({
  label,
  help,
  error,
  htmlFor,
  children,
  trailing,
  className,
}: {
  label: ReactNode;
  help?: ReactNode;
  error?: string | null;
  htmlFor?: string;
  children: (ids: { describedBy: string | undefined; invalid: boolean; errorId: string; helpId: string }) => ReactNode;
  trailing?: ReactNode;
  className?: string;
}) {
  const base = useId();
  const helpId = `${base}-help`;
  const errorId = `${base}-err`;
  const describedBy = [help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ' ' + className : ''}`}>
      <div className="field-head">
        <label className="field-label" htmlFor={htmlFor}>
          {label}
        </label>
        {trailing}
      </div>
      {children({ describedBy, invalid: !!error, errorId, helpId })}
      {error ? <ErrorText id={errorId}>{error}</ErrorText> : null}
      {help ? (
        <p className="field-help" id={helpId}>
          {help}
        </p>
      ) : null}
    </div>
  );
}

export function Switch({
  id,
  checked,
  onChange,
  disabled,
  describedBy,
  label,
}: {
  id?: string;
  checked: boolean;
  onChange(v: boolean): void;
  disabled?: boolean;
  describedBy?: string | undefined;
  label?: string;
}) {
  return (
    <button
      id={id}
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      aria-describedby={describedBy}
      className="switch"
      disabled={disabled}
      onClick={() => onChange(!checked)}
    >
      <span className="switch-thumb" />
    </button>
  );
}

/** A row of radio buttons that looks like a macOS segmented control; arrow keys move. */
export function Segmented<T extends string | number>({
  options,
  value,
  onChange,
  label,
  labelledBy,
  disabled,
  className,
}: {
  options: ReadonlyArray<{ value: T; label: ReactNode; title?: string }>;
  value: T;
  onChange(v: T): void;
  label?: string;
  labelledBy?: string;
  disabled?: boolean;
  className?: string;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const idx = Math.max(
    0,
    options.findIndex((o) => o.value === value),
  );
  function onKey(e: KeyboardEvent) {
    const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = (idx + d + options.length) % options.length;
    onChange(options[next]!.value);
    refs.current[next]?.focus();
  }
  return (
    <div role="radiogroup" aria-label={label} aria-labelledby={labelledBy} className={`segmented${className ? ' ' + className : ''}`} onKeyDown={onKey}>
      {options.map((o, i) => (
        <button
          key={String(o.value)}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          tabIndex={i === idx ? 0 : -1}
          title={o.title}
          disabled={disabled}
          className="segmented-item"
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function Disclosure({ title, children, defaultOpen = false, className }: { title: ReactNode; children: ReactNode; defaultOpen?: boolean; className?: string }) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  return (
    <div className={`disclosure${open ? ' is-open' : ''}${className ? ' ' + className : ''}`}>
      <button type="button" className="disclosure-toggle" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)}>
        <IconChevron size={14} className="disclosure-chevron" />
        {title}
      </button>
      <div id={id} className="disclosure-body" hidden={!open}>
        {open ? children : null}
      </div>
    </div>
  );
}

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
        <button type="button" className="icon-button" aria-label={dismissLabel} title={dismissLabel} onClick={onDismiss}>
          <IconX size={16} />
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ icon, title, children, testId }: { icon?: ReactNode; title: ReactNode; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      {icon ? <div className="empty-icon">{icon}</div> : null}
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}
