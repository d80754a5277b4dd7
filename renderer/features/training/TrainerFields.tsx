/**
 * Advanced: the trainer's own inputs as a form generated from its schema (`training:trainers`,
 * read from the trainer's version): on/off → switch, choices → select, numbers → a number box
 * with the range, text → a text box; each with the trainer's description, its default shown and
 * the shared field check's message under it. The helpers come from the studio's params form.
 */
import { useId } from 'react';
import type { ModelField } from '../../../shared/model/schema';
import { Field, Switch } from '../../app/controls';
import { fieldTitle, formatNumber, optionLabel, rangeText, stepFor } from '../params/logic';
import { advancedFields } from './train-logic';
import type { TrainerInfoT } from '../../../shared/ipc/contract';
import { useTrainings } from './trainings-store';

function defaultText(f: ModelField): string | null {
  if (f.default === undefined) return null;
  if (typeof f.default === 'boolean') return f.default ? 'on' : 'off';
  // a learning rate of 0.0004 is not "0"
  if (typeof f.default === 'number') return Math.abs(f.default) < 0.01 ? String(f.default) : formatNumber(f.default);
  return f.default === '' ? 'empty' : `“${f.default}”`;
}

function TrainerField({
  field: f,
  value,
  problem,
}: {
  field: ModelField;
  value: string | number | boolean | undefined;
  problem: string | undefined;
}) {
  const setValue = useTrainings((s) => s.setValue);
  const id = useId();
  const title = fieldTitle(f) || f.name;
  const def = defaultText(f);
  const range = rangeText(f);
  const description = f.description?.trim().replace(/([^.!?:])$/, '$1.');
  const help = [description, def !== null ? `Default: ${def}.` : null].filter(Boolean).join(' ');
  const current = value ?? f.default;

  if (f.type === 'boolean')
    return (
      <div className="field training-field--switch">
        <div className="field-head">
          <span className="field-label" id={`${id}-l`}>
            {title}
          </span>
          <Switch
            checked={current === true}
            onChange={(v) => setValue(f.name, v === f.default ? undefined : v)}
            label={title}
          />
        </div>
        {help ? <p className="field-help">{help}</p> : null}
      </div>
    );

  return (
    <Field
      label={title}
      htmlFor={`${id}-in`}
      help={help || undefined}
      error={problem ?? null}
      trailing={range ? <span className="field-range">{range}</span> : undefined}
    >
      {({ describedBy, invalid }) =>
        f.enum ? (
          <select
            id={`${id}-in`}
            className="select"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            value={String(current ?? '')}
            onChange={(e) => {
              const raw = e.target.value;
              const v = f.type === 'string' ? raw : Number(raw);
              setValue(f.name, v === f.default ? undefined : v);
            }}
          >
            {f.enum.map((o) => (
              <option key={String(o)} value={String(o)}>
                {optionLabel(f.name, o)}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={`${id}-in`}
            className="input"
            name={f.name}
            inputMode={f.type === 'string' ? undefined : f.type === 'integer' ? 'numeric' : 'decimal'}
            step={f.type === 'string' ? undefined : stepFor(f)}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            placeholder={f.type === 'string' && def && def !== 'empty' ? String(f.default) : undefined}
            value={current === undefined ? '' : String(current)}
            onChange={(e) => setValue(f.name, e.target.value)}
          />
        )
      }
    </Field>
  );
}

export function TrainerFields({ trainer, problems }: { trainer: TrainerInfoT; problems: Record<string, string> }) {
  const values = useTrainings((s) => s.form.values);
  const fields = advancedFields(trainer);
  return (
    <div className="training-advanced" data-testid="trainer-fields">
      <p className="muted small">
        The settings of {trainer.ref}, read from its current version on Replicate. Leave any you do not know at its
        default.
      </p>
      {fields.map((f) => (
        <TrainerField key={f.name} field={f} value={values[f.name]} problem={problems[f.name]} />
      ))}
    </div>
  );
}
