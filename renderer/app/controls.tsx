/**
 * Small accessible building blocks shared by the views: a labelled field with help and error
 * text, a switch, a segmented control (radio group), a disclosure, a banner and a spinner.
 * Errors are always words with an icon, never colour alone.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { IconAlert, IconChevron, IconInfo, IconX } from './icons';
import { asClientError } from '../store/client';
import './overlays.css';

export function Spinner({ label }: { label?: string }) {
  return (
    <span
      className="spinner"
      role={label ? 'status' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    />
  );
}

/**
 * A button's action with its busy state and the error it ended with, in words (from main's
 * {code, message}). `run` clears the last error, and never throws.
 */
export function useAction(): { busy: boolean; error: string | null; run(fn: () => Promise<unknown>): Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(fn: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(asClientError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
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
        <p className="field-help" id={helpId} title={typeof help === 'string' ? help : undefined}>
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
    const d =
      e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = (idx + d + options.length) % options.length;
    onChange(options[next]!.value);
    refs.current[next]?.focus();
  }
  return (
    <div
      role="radiogroup"
      aria-label={label}
      aria-labelledby={labelledBy}
      className={`segmented${className ? ' ' + className : ''}`}
      onKeyDown={onKey}
    >
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

export function Disclosure({
  title,
  children,
  defaultOpen = false,
  className,
}: {
  title: ReactNode;
  children: ReactNode;
  defaultOpen?: boolean;
  className?: string;
}) {
  const [open, setOpen] = useState(defaultOpen);
  const id = useId();
  return (
    <div className={`disclosure${open ? ' is-open' : ''}${className ? ' ' + className : ''}`}>
      <button
        type="button"
        className="disclosure-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
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

/** Text fields, selects and editable content: where typing must not trigger shortcuts (one check, shortcuts/typing.ts). */
export { isTypingTarget } from '../features/shortcuts/typing';

/** True while a modal dialog (photoshoot, compare) covers the window. */
export function modalOpen(): boolean {
  return typeof document !== 'undefined' && !!document.querySelector('[aria-modal="true"]');
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog over the window: a labelled role="dialog", focus moved in and kept in (Tab
 * cycles), Escape and the backdrop close it, focus returns where it was. Keys typed inside do not
 * reach the window's shortcuts (the canvas, Generate).
 */
export function Modal({
  title,
  subtitle,
  onClose,
  children,
  footer,
  className,
  testId,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
  testId?: string;
}) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current;
    const first = el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? el)?.focus();
    return () => {
      if (before && typeof before.focus === 'function' && document.contains(before)) before.focus();
    };
  }, []);
  function onKeyDown(e: KeyboardEvent) {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      closeRef.current();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = Array.from(box.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (x) => x.offsetParent !== null || x === document.activeElement,
    );
    if (!items.length) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }
  return createPortal(
    <div
      className="modal-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        className={`modal${className ? ' ' + className : ''}`}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        <header className="modal-head">
          <div className="modal-titles">
            <h2 id={`${id}-title`} className="modal-title">
              {title}
            </h2>
            {subtitle ? <p className="modal-subtitle">{subtitle}</p> : null}
          </div>
          <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={onClose}>
            <IconX size={16} />
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer ? <footer className="modal-foot">{footer}</footer> : null}
      </div>
    </div>,
    document.body,
  );
}

/**
 * A button that opens a small panel under it (recent prompts, presets), or above it when there is
 * no room below. The panel is drawn over the window (not clipped by a scrolling column) and follows
 * its button. Closes on Escape, on a click outside, or when `close()` is called inside.
 */
export function Popover({
  label,
  buttonClassName,
  buttonTitle,
  disabled,
  align = 'start',
  panelLabel,
  children,
  testId,
}: {
  label: ReactNode;
  buttonClassName?: string;
  buttonTitle?: string;
  disabled?: boolean;
  align?: 'start' | 'end';
  panelLabel: string;
  children: (close: () => void) => ReactNode;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();

  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const b = button.current?.getBoundingClientRect();
      const p = panel.current;
      if (!b || !p) return;
      const h = p.offsetHeight;
      const w = p.offsetWidth;
      const vw = window.innerWidth;
      const vh = window.innerHeight;
      const below = vh - b.bottom - 8;
      const left = Math.max(8, Math.min(vw - w - 8, align === 'end' ? b.right - w : b.left));
      // Set directly (before paint): the panel is focusable right away, and React never resets it.
      const st = p.style;
      st.left = `${left}px`;
      if (below >= h || below >= b.top) {
        st.top = `${b.bottom + 6}px`;
        st.bottom = '';
        st.maxHeight = `${Math.max(160, below - 6)}px`;
      } else {
        st.top = '';
        st.bottom = `${vh - b.top + 6}px`;
        st.maxHeight = `${Math.max(160, b.top - 14)}px`;
      }
    };
    place();
    // The column behind may scroll (or finish scrolling the button into view): follow the button.
    const onScroll = (e: Event) => {
      if (!panel.current?.contains(e.target as Node)) place();
    };
    window.addEventListener('resize', place);
    window.addEventListener('scroll', onScroll, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', onScroll, true);
    };
  }, [open, align]);

  useEffect(() => {
    if (!open) return;
    const el = panel.current;
    (el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>(FOCUSABLE))?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const inside = (t: EventTarget | null) =>
      !!t && ((panel.current?.contains(t as Node) ?? false) || (button.current?.contains(t as Node) ?? false));
    const onDown = (e: MouseEvent) => {
      if (!inside(e.target)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        className={buttonClassName ?? 'button button--small'}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-haspopup="dialog"
        title={buttonTitle}
        disabled={disabled}
        onClick={() => setOpen(!open)}
      >
        {label}
        <IconChevron size={12} className="popover-chevron" />
      </button>
      {open
        ? createPortal(
            <div
              ref={panel}
              id={id}
              role="dialog"
              aria-label={panelLabel}
              className="popover"
              data-testid={testId}
              data-no-shortcuts
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  e.preventDefault();
                  close();
                }
              }}
            >
              {children(close)}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
