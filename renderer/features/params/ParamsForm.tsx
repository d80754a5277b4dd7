/**
 * The parameters form, generated from the model's input schema (`models.get()` fields):
 * enum → select, boolean → switch, number/integer with a range → slider + number box,
 * text → text box; file inputs are hidden (the canvas provides them). The aspect ratio is a picker
 * with real pixel sizes. Messages come from the shared `validateInput`, shown under each field.
 */
import { useEffect, useId, useState, type CSSProperties, type ReactNode } from 'react';
import type { ModelField } from '../../../shared/model/schema';
import { coerceValue } from '../../../shared/model/validate';
import { planOutput, roundUp16 } from '../../../shared/model/rules';
import { useDraft, type DraftValue } from './draft-store';
import { useSelection } from '../studio/selection-store';
import { ErrorText, Field, Switch } from '../../app/controls';
import { IconCheck, IconChevron, IconInfo } from '../../app/icons';
import { AspectPicker } from './AspectPicker';
import {
  currentValues,
  extraLoraKind,
  fieldTitle,
  ignoredFields,
  formFields,
  formatNumber,
  isHidden,
  optionLabel,
  PRIMARY_FIELDS,
  rangeText,
  sizeProblem,
  stepFor,
} from './logic';
import { modelImageSize, useDraftCheck, useSavedSize } from './useDraftCheck';
import { sizeText } from './output-size';
import { useSelfies } from '../studio/selfies-store';
import { SeedField } from './SeedField';
import { PresetsMenu } from './PresetsMenu';
import './params.css';

interface FieldProps {
  field: ModelField;
  value: DraftValue | undefined;
  raw: string | undefined;
  issue: string | undefined;
  ignored: string | undefined;
  megapixels: unknown;
  /** a line under the control (rounded size, effective LoRA scale, a recognised link) */
  extra?: ReactNode;
}

function ParamField({ field: f, value, raw, issue, ignored, megapixels, extra }: FieldProps) {
  const setValue = useDraft((s) => s.setValue);
  const setNumberText = useDraft((s) => s.setNumberText);
  const commitNumberText = useDraft((s) => s.commitNumberText);
  const id = useId();
  const inputId = `${id}-in`;
  const labelId = `${id}-label`;
  const title = fieldTitle(f);
  const range = rangeText(f);
  const help = ignored ? (
    <>
      <strong>Not used now:</strong> {ignored}
    </>
  ) : (
    f.description
  );

  if (f.name === 'aspect_ratio' && f.enum && f.type === 'string') {
    if (ignored) {
      // The starting photo decides the size: the tiles would only be noise.
      return (
        <div className="field">
          <div className="field-head">
            <span className="field-label">{title}</span>
            <span className="field-range">from the starting photo</span>
          </div>
          <p className="field-help">{help}</p>
        </div>
      );
    }
    return (
      <div className={`field${issue ? ' field--invalid' : ''}`}>
        <div className="field-head">
          <span className="field-label" id={labelId}>
            {title}
          </span>
        </div>
        <AspectPicker
          field={f}
          value={String(value ?? '1:1')}
          megapixels={megapixels}
          onChange={(v) => setValue(f.name, v)}
          disabledReason={ignored}
          labelId={labelId}
        />
        {issue ? <ErrorText>{issue}</ErrorText> : null}
        {ignored ? <p className="field-help">{help}</p> : null}
      </div>
    );
  }

  if (f.name === 'seed' && f.type === 'integer') {
    return <SeedField field={f} value={value} raw={raw} issue={issue} />;
  }

  if (f.type === 'boolean') {
    return (
      <Field
        label={title}
        htmlFor={inputId}
        help={help}
        error={issue}
        className={`field--inline${ignored ? ' field--ignored' : ''}`}
      >
        {({ describedBy }) => (
          <>
            <Switch
              id={inputId}
              checked={value === true && !ignored}
              onChange={(v) => setValue(f.name, v)}
              describedBy={describedBy}
              disabled={!!ignored}
            />
            {extra}
          </>
        )}
      </Field>
    );
  }

  if (f.enum) {
    return (
      <Field
        label={title}
        htmlFor={inputId}
        help={help}
        error={issue}
        className={ignored ? 'field--ignored' : undefined}
      >
        {({ describedBy, invalid }) => (
          <select
            id={inputId}
            className="select"
            value={value === undefined ? '' : String(value)}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            disabled={!!ignored}
            onChange={(e) => {
              const picked = f.enum!.find((o) => String(o) === e.target.value);
              setValue(f.name, picked);
            }}
          >
            {value === undefined ? <option value="">Model default</option> : null}
            {f.enum!.map((o) => (
              <option key={String(o)} value={String(o)}>
                {optionLabel(f.name, o)}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  }

  if (f.type === 'integer' || f.type === 'number') {
    const hasRange = f.minimum !== undefined && f.maximum !== undefined;
    const num = typeof value === 'number' ? value : undefined;
    const text = raw ?? (num === undefined ? '' : formatNumber(num));
    const sliderValue = num ?? (typeof f.default === 'number' ? f.default : (f.minimum ?? 0));
    const fill =
      hasRange && f.maximum! > f.minimum!
        ? ((Math.min(Math.max(sliderValue, f.minimum!), f.maximum!) - f.minimum!) / (f.maximum! - f.minimum!)) * 100
        : 0;
    const onText = (t: string) => {
      const c = coerceValue(f, t);
      setNumberText(f.name, t, typeof c === 'number' ? c : undefined);
    };
    return (
      <Field
        label={title}
        htmlFor={inputId}
        help={help}
        error={issue}
        trailing={range ? <span className="field-range">{range}</span> : null}
        className={ignored ? 'field--ignored' : undefined}
      >
        {({ describedBy, invalid }) => (
          <>
            <div className="number-row">
              {hasRange ? (
                <input
                  type="range"
                  className="slider"
                  min={f.minimum}
                  max={f.maximum}
                  step={stepFor(f)}
                  value={sliderValue}
                  style={{ '--fill': `${fill}%` } as CSSProperties}
                  aria-label={`${title} slider`}
                  aria-describedby={describedBy}
                  disabled={!!ignored}
                  onChange={(e) => setValue(f.name, Number(e.target.value))}
                />
              ) : null}
              <input
                id={inputId}
                type="text"
                inputMode={f.type === 'integer' ? 'numeric' : 'decimal'}
                className={`input number-box${hasRange ? '' : ' number-box--wide'}`}
                value={text}
                placeholder={f.name === 'seed' ? 'Random' : f.default !== undefined ? String(f.default) : ''}
                aria-invalid={invalid || undefined}
                aria-describedby={describedBy}
                disabled={!!ignored}
                onChange={(e) => onText(e.target.value)}
                onBlur={() => commitNumberText(f.name)}
                data-min={f.minimum}
                data-max={f.maximum}
              />
            </div>
            {extra}
          </>
        )}
      </Field>
    );
  }

  return (
    <Field label={title} htmlFor={inputId} help={help} error={issue} className={ignored ? 'field--ignored' : undefined}>
      {({ describedBy, invalid }) => (
        <>
          <input
            id={inputId}
            type="text"
            className="input"
            value={typeof value === 'string' ? value : ''}
            spellCheck={false}
            autoComplete="off"
            placeholder={f.name === 'extra_lora' ? 'owner/model or a huggingface.co link' : undefined}
            aria-invalid={invalid || undefined}
            aria-describedby={describedBy}
            disabled={!!ignored}
            onChange={(e) => setValue(f.name, e.target.value === '' ? undefined : e.target.value)}
          />
          {issue ? null : extra}
        </>
      )}
    </Field>
  );
}

export function ParamsForm() {
  const check = useDraftCheck();
  const values = useDraft((s) => s.values);
  const raw = useDraft((s) => s.raw);
  const resetValues = useDraft((s) => s.resetValues);
  const source = useSelection((s) => s.source);
  const selfies = useSelfies((s) => s.list);
  const [moreOpen, setMoreOpen] = useState(false);
  const moreId = useId();

  const fields = check ? formFields(check.schema.fields) : [];
  const cur = check ? currentValues(check.schema.fields, values) : {};
  const visible = fields.filter((f) => !isHidden(f, fields, cur));
  const primaryNames = new Set<string>(PRIMARY_FIELDS);
  // The size fields first, then how many and the seed (the schema's order puts them apart).
  const rank = (name: string) => (PRIMARY_FIELDS as readonly string[]).indexOf(name);
  const primary = visible.filter((f) => primaryNames.has(f.name)).sort((a, b) => rank(a.name) - rank(b.name));
  const more = visible.filter((f) => !primaryNames.has(f.name));
  const moreHasIssue = !!check && more.some((f) => check.issues[f.name]);

  useEffect(() => {
    if (moreHasIssue) setMoreOpen(true);
  }, [moreHasIssue]);
  const saved = useSavedSize(check?.result.plan);

  if (!check) return null;
  const { result, issues, otherIssues } = check;
  const plan = result.plan;
  const ignored = ignoredFields(plan, check.schema.fields);
  // Rounded sizes are said next to the width and height themselves.
  const notes = result.notes.filter((n) => !/^(Width|Height) \d+ will be rounded up/.test(n));
  // With the defaults filled in: what the model will really do (e.g. the LoRA scale go_fast applies).
  const full = planOutput({ ...cur, image: modelImageSize(source, selfies), hasMask: check.hasMask });
  // A size field in error: the size is not known yet, so no size is shown beside the message.
  const badSize = sizeProblem(plan, issues);

  const extraFor = (f: ModelField): ReactNode => {
    const v = cur[f.name];
    if (
      (f.name === 'width' || f.name === 'height') &&
      typeof v === 'number' &&
      Number.isInteger(v) &&
      v % 16 !== 0 &&
      !issues[f.name]
    ) {
      return <p className="field-note">Rounded up to {roundUp16(v)} px (the model works in multiples of 16).</p>;
    }
    if (
      f.name === 'lora_scale' &&
      typeof v === 'number' &&
      full.effectiveLoraScale !== null &&
      full.effectiveLoraScale !== v
    ) {
      return (
        <p className="field-note" data-testid="effective-lora">
          With Go fast the model applies 1.5×: effective scale <strong>{formatNumber(full.effectiveLoraScale)}</strong>.
        </p>
      );
    }
    if (
      f.name === 'go_fast' &&
      v === true &&
      !plan.ignored.go_fast &&
      typeof cur.lora_scale === 'number' &&
      full.effectiveLoraScale !== null
    ) {
      return <p className="field-note field-note--inline">LoRA scale ×1.5 → {formatNumber(full.effectiveLoraScale)}</p>;
    }
    if (f.name === 'extra_lora' && typeof v === 'string' && v.trim()) {
      const kind = extraLoraKind(v);
      return kind ? (
        <p className="field-ok">
          <IconCheck size={13} /> {kind}
        </p>
      ) : null;
    }
    return null;
  };

  const render = (f: ModelField) => (
    <ParamField
      key={f.name}
      field={f}
      value={cur[f.name]}
      raw={raw[f.name]}
      issue={issues[f.name]}
      ignored={ignored[f.name]}
      megapixels={cur.megapixels}
      extra={extraFor(f)}
    />
  );

  const changed = Object.keys(values).length + Object.keys(raw).length > 0;
  return (
    <section className="params" aria-label="Photo settings">
      <div className="section-head">
        <h2 className="section-title">Photo</h2>
        <div className="section-actions">
          {changed ? (
            <button type="button" className="link-button link-button--muted" onClick={resetValues}>
              Reset
            </button>
          ) : null}
          <PresetsMenu schema={check.schema} />
        </div>
      </div>
      {primary.map(render)}
      {badSize.length ? (
        <p className="output-size output-size--unknown" data-testid="output-size">
          Output: no size yet, fix the{' '}
          {badSize.map((n) => fieldTitle(check.schema.fields.find((f) => f.name === n)!).toLowerCase()).join(' and ')}{' '}
          first
        </p>
      ) : saved ? (
        <p
          className="output-size"
          data-testid="output-size"
          title={
            saved.model
              ? `The model paints ${sizeText(saved.model)} px; the result is put back into your photo at its own size.`
              : undefined
          }
        >
          Output: <strong>{sizeText(saved)} px</strong>
          {typeof cur.num_outputs === 'number'
            ? ` · ${cur.num_outputs} ${cur.num_outputs === 1 ? 'photo' : 'photos'}`
            : ''}
          {plan.mode !== 'txt2img'
            ? ` · ${plan.mode === 'inpaint' ? 'repainting the masked area' : 'starting from your photo'}`
            : ''}
        </p>
      ) : null}
      {full.effectiveLoraScale !== null &&
      typeof cur.lora_scale === 'number' &&
      full.effectiveLoraScale !== cur.lora_scale &&
      !moreOpen ? (
        <p className="field-note params-note" data-testid="effective-lora-summary">
          Go fast is on: the likeness strength {formatNumber(cur.lora_scale)} is applied as{' '}
          <strong>{formatNumber(full.effectiveLoraScale)}</strong>.
        </p>
      ) : null}

      {more.length ? (
        <div className={`disclosure${moreOpen ? ' is-open' : ''}`}>
          <button
            type="button"
            className="disclosure-toggle"
            aria-expanded={moreOpen}
            aria-controls={moreId}
            onClick={() => setMoreOpen(!moreOpen)}
          >
            <IconChevron size={14} className="disclosure-chevron" />
            More settings
            {moreHasIssue && !moreOpen ? <span className="badge badge--error">needs attention</span> : null}
          </button>
          <div id={moreId} className="disclosure-body" hidden={!moreOpen}>
            {moreOpen ? more.map(render) : null}
          </div>
        </div>
      ) : null}

      {otherIssues.length ? (
        <div className="form-alert" role="alert">
          {otherIssues.map((m) => (
            <ErrorText key={m}>{m}</ErrorText>
          ))}
        </div>
      ) : null}
      {notes.length ? (
        <ul className="notes" aria-label="Notes">
          {notes.map((n) => (
            <li key={n}>
              <IconInfo size={14} />
              <span>{n}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
