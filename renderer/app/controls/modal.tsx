/** A modal dialog: focus moved in and kept in, Escape and the backdrop close it, focus returns where it was; and whether one is open. */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { IconX } from '../icons';

/** True while a modal dialog (photoshoot, compare) covers the window. */
export function modalOpen(): boolean {
  return typeof document !== 'undefined' && !!document.querySelector('[aria-modal="true"]');
}

export const FOCUSABLE =
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
 * A question before something that cannot be taken back lightly (delete, move to the trash):
 * Cancel first and focused, so Enter on a dialog opened by mistake changes nothing; the danger
 * button names what it does.
 */
export function ConfirmDialog({
  title,
  subtitle,
  testId,
  onCancel,
  action,
  actionDisabled,
  onAction,
  children,
}: {
  title: ReactNode;
  subtitle: ReactNode;
  testId: string;
  onCancel(): void;
  /** the danger button's content, e.g. an icon and "Move to trash" */
  action: ReactNode;
  actionDisabled: boolean;
  onAction(): void;
  children: ReactNode;
}) {
  return (
    <Modal
      title={title}
      subtitle={subtitle}
      onClose={onCancel}
      className="confirm-dialog"
      testId={testId}
      footer={
        <>
          <button type="button" className="button" data-autofocus onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button button--danger" disabled={actionDisabled} onClick={onAction}>
            {action}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
