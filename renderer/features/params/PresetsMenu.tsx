/**
 * Presets: the current parameters saved under a name (main keeps them with the settings), listed
 * with what they set, re-applied in one click, deleted. The prompt is not part of a preset.
 */
import { useId, useState, type FormEvent } from 'react';
import type { PresetT } from '../../../shared/ipc/contract';
import type { ModelSchema } from '../../../shared/model/schema';
import { asClientError } from '../../app/client';
import { usePresets } from './presets-store';
import { useDraft, type DraftValue } from './draft-store';
import { useToasts } from '../../app/toasts-store';
import { ErrorText, Popover } from '../../app/controls';
import { IconBookmark, IconTrash } from '../../app/icons';
import { formatNumber, optionLabel } from './logic';
import { restoreFromPhoto } from '../export/restore';

/** "4:5 · 2 photos · 12 steps · seed 42" */
export function presetSummary(values: PresetT['values']): string {
  const parts: string[] = [];
  const v = values;
  if (typeof v.aspect_ratio === 'string')
    parts.push(v.aspect_ratio === 'custom' && v.width && v.height ? `${v.width} × ${v.height}` : v.aspect_ratio);
  if (typeof v.model === 'string') parts.push(v.model === 'schnell' ? 'Schnell' : 'Dev');
  if (typeof v.num_outputs === 'number') parts.push(`${v.num_outputs} ${v.num_outputs === 1 ? 'photo' : 'photos'}`);
  if (typeof v.num_inference_steps === 'number') parts.push(`${v.num_inference_steps} steps`);
  if (typeof v.guidance_scale === 'number') parts.push(`guidance ${formatNumber(v.guidance_scale)}`);
  if (typeof v.lora_scale === 'number') parts.push(`LoRA ${formatNumber(v.lora_scale)}`);
  if (typeof v.megapixels === 'string' && v.megapixels !== '1') parts.push(optionLabel('megapixels', v.megapixels));
  if (v.go_fast === true) parts.push('fast');
  if (typeof v.seed === 'number') parts.push(`seed ${v.seed}`);
  const rest = Object.keys(v).length - parts.length;
  if (rest > 0 && parts.length) parts.push(`+${rest} more`);
  return parts.length ? parts.join(' · ') : 'The model’s defaults';
}

/** The preset's values this model knows (a preset from another model may have others). */
export function applicableValues(
  values: PresetT['values'],
  schema: ModelSchema,
): { values: Record<string, DraftValue>; skipped: string[] } {
  const names = new Set(schema.fields.map((f) => f.name));
  const out: Record<string, DraftValue> = {};
  const skipped: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (names.has(k) && k !== 'prompt') out[k] = v;
    else skipped.push(k);
  }
  return { values: out, skipped };
}

export function PresetsMenu({ schema }: { schema: ModelSchema }) {
  const list = usePresets((s) => s.list);
  const save = usePresets((s) => s.save);
  const remove = usePresets((s) => s.remove);
  const show = useToasts((s) => s.show);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const trimmed = name.trim();
  const replaces = list.some((p) => p.name === trimmed);

  async function onSave(e: FormEvent, close: () => void) {
    e.preventDefault();
    if (!trimmed || busy) return;
    setBusy(true);
    setError(null);
    try {
      await save(trimmed, { ...useDraft.getState().values });
      show(`Saved the preset “${trimmed}”.`);
      setName('');
      close();
    } catch (err) {
      setError(asClientError(err).message);
    } finally {
      setBusy(false);
    }
  }

  function apply(p: PresetT, close: () => void) {
    const { values, skipped } = applicableValues(p.values, schema);
    const d = useDraft.getState();
    d.load(d.prompt, values);
    show(
      skipped.length ? `Applied “${p.name}” (${skipped.join(', ')} not used by this model).` : `Applied “${p.name}”.`,
    );
    close();
  }

  return (
    <Popover
      label={
        <>
          <IconBookmark size={13} /> Presets
        </>
      }
      buttonClassName="button button--small button--quiet"
      buttonTitle="Save these settings, or apply saved ones"
      panelLabel="Presets"
      align="end"
      testId="presets"
    >
      {(close) => (
        <div className="presets">
          {list.length ? (
            <ul className="preset-list" aria-label="Saved presets">
              {list.map((p) => (
                <li key={p.name} className="preset-item">
                  <button
                    type="button"
                    className="preset-apply"
                    onClick={() => apply(p, close)}
                    aria-label={`Apply ${p.name}`}
                  >
                    <span className="preset-name">{p.name}</span>
                    <span className="preset-summary">{presetSummary(p.values)}</span>
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete the preset ${p.name}`}
                    title="Delete this preset"
                    onClick={() => void remove(p.name).catch((err: unknown) => setError(asClientError(err).message))}
                  >
                    <IconTrash size={14} />
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small presets-empty">
              No presets yet. Save the settings you like to reuse them in one click.
            </p>
          )}
          <button
            type="button"
            className="button button--small button--quiet preset-from-photo"
            onClick={() => (close(), void restoreFromPhoto())}
            title="Read the prompt and settings saved in a PNG, JPEG or WebP (this app’s or an AUTOMATIC1111-style file)"
          >
            Load settings from a photo…
          </button>
          <form className="preset-save" onSubmit={(e) => void onSave(e, close)}>
            <label className="field-label" htmlFor={`${id}-name`}>
              Save the current settings as
            </label>
            <div className="input-row">
              <input
                id={`${id}-name`}
                className="input"
                value={name}
                maxLength={80}
                placeholder="e.g. Quick drafts"
                autoComplete="off"
                data-autofocus
                onChange={(e) => setName(e.target.value)}
              />
              <button type="submit" className="button button--primary button--small" disabled={!trimmed || busy}>
                {replaces ? 'Replace' : 'Save'}
              </button>
            </div>
            <p className="field-help">
              {replaces
                ? `Replaces the preset “${trimmed}”.`
                : presetSummary(useDraft.getState().values as PresetT['values'])}
            </p>
            {error ? <ErrorText>{error}</ErrorText> : null}
          </form>
        </div>
      )}
    </Popover>
  );
}
