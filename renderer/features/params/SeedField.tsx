/**
 * The seed as people think of it: Random (a new one every run) or Locked to a number, so a result
 * can be repeated with one thing changed. "Reuse this seed" on a result locks it to that result's.
 */
import { useId } from 'react';
import type { ModelField } from '../../../shared/model/schema';
import { coerceValue } from '../../../shared/model/validate';
import { sortedJobs, useJobs } from '../results/jobs-store';
import { useDraft, type DraftValue } from './draft-store';
import { ErrorText, Segmented } from '../../app/controls';
import { IconDice } from '../../app/icons';
import { fieldTitle, formatNumber } from './logic';

/** A fresh seed in the range people usually see (0 … 2³¹−1). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2_147_483_647);
}

export function SeedField({
  field: f,
  value,
  raw,
  issue,
}: {
  field: ModelField;
  value: DraftValue | undefined;
  raw: string | undefined;
  issue: string | undefined;
}) {
  const setValue = useDraft((s) => s.setValue);
  const setNumberText = useDraft((s) => s.setNumberText);
  const commitNumberText = useDraft((s) => s.commitNumberText);
  const id = useId();
  const locked = value !== undefined || raw !== undefined;
  const text = raw ?? (typeof value === 'number' ? formatNumber(value) : '');

  function lock() {
    // Locking keeps the newest result's seed (the usual reason to lock), else a new one.
    const last = sortedJobs(useJobs.getState().byId).find((j) => typeof j.seed === 'number');
    setValue(f.name, last?.seed ?? randomSeed());
  }

  return (
    <div className={`field seed-field${issue ? ' field--invalid' : ''}`} data-testid="seed-field">
      <div className="field-head">
        <label className="field-label" id={`${id}-label`} htmlFor={locked ? `${id}-in` : undefined}>
          {fieldTitle(f)}
        </label>
        <Segmented
          className="segmented--small"
          label="Seed mode"
          value={locked ? 'locked' : 'random'}
          options={[
            { value: 'random', label: 'Random', title: 'A new seed for every run' },
            { value: 'locked', label: 'Locked', title: 'Use the same seed every run' },
          ]}
          onChange={(v) => (v === 'random' ? setValue(f.name, undefined) : lock())}
        />
      </div>
      {locked ? (
        <div className="number-row">
          <input
            id={`${id}-in`}
            type="text"
            inputMode="numeric"
            className="input number-box number-box--wide mono"
            value={text}
            aria-invalid={issue ? true : undefined}
            aria-describedby={`${id}-help`}
            onChange={(e) => {
              const c = coerceValue(f, e.target.value);
              setNumberText(f.name, e.target.value, typeof c === 'number' ? c : undefined);
            }}
            onBlur={() => commitNumberText(f.name)}
          />
          <button
            type="button"
            className="button button--small"
            title="Pick a new random seed and keep it locked"
            onClick={() => setValue(f.name, randomSeed())}
          >
            <IconDice size={14} /> New
          </button>
        </div>
      ) : null}
      {issue ? <ErrorText>{issue}</ErrorText> : null}
      <p className="field-help" id={`${id}-help`}>
        {locked
          ? 'Every run uses this seed: the same settings give the same photo, so you can change one thing at a time.'
          : 'A new random seed every run. Lock it (or “Reuse this seed” on a result) to repeat a photo with small changes.'}
      </p>
    </div>
  );
}
