import { useId, type ReactNode } from 'react';
import { ErrorText } from './feedback';

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
