/**
 * Under the canvas: how much of the photo changes (prompt_strength, explained in words that
 * follow the value), what the model will do with it ("Starting from this photo" / "Repainting the
 * masked area") and the size of the photo that will be saved (with keep-outside: the starting
 * photo's own size, since main puts the result back into it), and — once something is painted —
 * whether to keep everything outside the mask exactly.
 */
import { useId, type CSSProperties } from 'react';
import { planOutput } from '../../../shared/model/rules';
import { useMaskSession } from '../canvas/mask-session';
import { strengthWords } from '../canvas/editor-logic';
import { modelImageSize, useSavedSize } from '../params/useDraftCheck';
import { sizeText } from '../params/output-size';
import { useModel } from '../params/model-store';
import { useSelfies } from './selfies-store';
import { useDraft } from '../params/draft-store';
import { type SourceImage } from './selection-store';

function fmt(v: number): string {
  return v.toFixed(2);
}

export function CanvasStrength({ source }: { source: SourceImage }) {
  const id = useId();
  const field = useModel((s) => s.info?.fields.find((f) => f.name === 'prompt_strength'));
  const values = useDraft((s) => s.values);
  const setValue = useDraft((s) => s.setValue);
  const hasMask = useMaskSession((s) => s.hasMask);
  const keepOutside = useMaskSession((s) => s.keepOutside);
  const setKeepOutside = useMaskSession((s) => s.setKeepOutside);

  const selfies = useSelfies((s) => s.list);

  // The model gets the photo as main prepares it (fitted, sides cut down to multiples of 16)...
  const image = modelImageSize(source, selfies);
  const plan = planOutput({ ...values, image, hasMask });
  const inpaint = plan.mode === 'inpaint';
  // ...but with keep-outside main saves the result put back into the photo, at the photo's size.
  const saved = useSavedSize(plan);

  const min = field?.minimum ?? 0;
  const max = field?.maximum ?? 1;
  const def = typeof field?.default === 'number' ? field.default : 0.8;
  const raw = values.prompt_strength;
  const value = typeof raw === 'number' && Number.isFinite(raw) ? Math.min(max, Math.max(min, raw)) : def;
  const words = strengthWords(value, inpaint);
  const fill = max > min ? ((value - min) / (max - min)) * 100 : 0;

  return (
    <div className="canvas-controls" data-testid="canvas-controls">
      {field ? (
        <div className="strength">
          <label className="strength-label" htmlFor={`${id}-strength`}>
            Strength
          </label>
          <input
            id={`${id}-strength`}
            type="range"
            className="slider strength-slider"
            min={min}
            max={max}
            step={0.05}
            value={value}
            aria-describedby={`${id}-words`}
            aria-valuetext={`${fmt(value)}: ${words.title}`}
            style={{ '--fill': `${fill}%` } as CSSProperties}
            onChange={(e) => setValue('prompt_strength', Math.round(Number(e.target.value) * 100) / 100)}
          />
          <output className="strength-value" htmlFor={`${id}-strength`}>
            {fmt(value)}
          </output>
          <p
            id={`${id}-words`}
            className={`strength-words${words.warn ? ' is-warn' : ''}`}
            data-testid="strength-words"
            data-band={words.band}
            aria-live="polite"
          >
            <strong>{words.title}.</strong> {words.detail}
          </p>
        </div>
      ) : null}
      <div className="canvas-plan">
        <span className={`mode-pill${inpaint ? ' mode-pill--inpaint' : ''}`} data-testid="canvas-mode">
          <span className="mode-dot" aria-hidden="true" />
          {inpaint ? 'Repainting the masked area' : 'Starting from this photo'}
        </span>
        {saved ? (
          <span
            className="canvas-output"
            data-testid="canvas-output"
            title={
              saved.model
                ? `Your photo’s own size: the model paints ${sizeText(saved.model)} px and the result is put back into your photo.`
                : undefined
            }
          >
            Output: <strong>{sizeText(saved)} px</strong>
          </span>
        ) : null}
      </div>
      {/* Always the same height, so painting the first stroke does not resize the stage. */}
      <div className="keep-outside">
        {hasMask ? (
          <>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={keepOutside}
                onChange={(e) => setKeepOutside(e.target.checked)}
                aria-describedby={`${id}-keep`}
              />
              Keep everything outside the mask exactly
            </label>
            <p id={`${id}-keep`} className="keep-outside-help">
              {keepOutside
                ? 'Only the painted area changes; the rest stays your original photo, pixel for pixel (saved as PNG).'
                : 'The model may also shift colours and details outside the painted area.'}
            </p>
          </>
        ) : (
          <p className="keep-outside-hint">
            Nothing painted: the whole photo is restyled. Paint over a part of it to repaint only that part.
          </p>
        )}
      </div>
    </div>
  );
}
