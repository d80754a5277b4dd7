/** A section that opens and closes (details/summary semantics). */
import { useId, useState, type ReactNode } from 'react';
import { IconChevron } from '../icons';

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
