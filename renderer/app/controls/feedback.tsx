/** Feedback while something happens: a spinner, the busy/error state of an action, and error text (always words with an icon, never colour alone). */
import { useState, type ReactNode } from 'react';
import { IconAlert } from '../icons';
import { asClientError } from '../client';

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
