/** A popover anchored to its button: menus and small forms that close on Escape or a click outside. */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { IconChevron } from '../icons';
import { FOCUSABLE } from './modal';

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
