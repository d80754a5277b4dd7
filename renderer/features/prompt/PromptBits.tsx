/**
 * The pieces around the prompt box: the trigger-word chip (click to change it for this model),
 * the warning when the prompt lacks it, style fragments as toggle chips, recent prompts, and the
 * length meter against the model's text limits.
 */
import { useEffect, useId, useRef, useState, type CSSProperties } from 'react';
import { asClientError, usePrompts, useSettings } from '../../store/studio';
import { Popover } from '../../app/controls';
import { IconAlert, IconCheck, IconClock, IconInfo, IconPencil, IconPlus } from '../../app/icons';
import { FRAGMENTS, addTrigger, hasFragment, lengthFeedback, mentionsTrigger, toggleFragment } from './logic';

/** The key Settings keep a model's trigger word under: `owner/name`. */
export function triggerKey(model: { owner: string; name: string }): string {
  return `${model.owner}/${model.name}`;
}

export function TriggerChip({ model, triggerWord }: { model: { owner: string; name: string } | null; triggerWord: string | undefined }) {
  const update = useSettings((s) => s.update);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  if (!model) return null;

  async function save() {
    if (!model) return;
    const value = text.trim();
    setEditing(false);
    if (value === (triggerWord ?? '')) return;
    try {
      const current = useSettings.getState().settings?.triggerWords ?? {};
      await update({ triggerWords: { ...current, [triggerKey(model)]: value } });
      setError(null);
    } catch (e) {
      setError(asClientError(e).message);
    }
  }

  return (
    <div className="trigger-row" data-no-shortcuts>
      <span className="trigger-label" id={`${id}-label`}>
        Trigger word
      </span>
      {editing ? (
        <input
          ref={input}
          className="input trigger-input"
          value={text}
          maxLength={100}
          aria-labelledby={`${id}-label`}
          aria-describedby={`${id}-help`}
          placeholder="e.g. subject"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => void save()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void save();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setEditing(false);
            }
          }}
        />
      ) : (
        <button
          type="button"
          className={`trigger-chip${triggerWord ? '' : ' trigger-chip--unset'}`}
          aria-label={triggerWord ? `Trigger word: ${triggerWord}. Change it` : 'Set the trigger word'}
          title={`The word your model was trained to draw you with (${triggerKey(model)}). Click to change it.`}
          data-testid="trigger-chip"
          onClick={() => {
            setText(triggerWord ?? '');
            setEditing(true);
          }}
        >
          {triggerWord ? <span className="trigger-dot" aria-hidden="true" /> : <IconPlus size={12} />}
          <span>{triggerWord ?? 'Set it'}</span>
          {triggerWord ? <IconPencil size={12} className="trigger-edit" /> : null}
        </button>
      )}
      <span className="visually-hidden" id={`${id}-help`}>
        Press Enter to save it for this model, Escape to cancel.
      </span>
      {error ? (
        <span className="trigger-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** The warning under the prompt when it does not mention the trigger word, with a fix. */
export function TriggerWarning({ prompt, triggerWord, onFix }: { prompt: string; triggerWord: string | undefined; onFix(p: string): void }) {
  if (!triggerWord || !prompt.trim() || mentionsTrigger(prompt, triggerWord)) return null;
  return (
    <p className="prompt-warning" data-testid="trigger-warning">
      <IconAlert size={13} />
      <span>
        Include your trigger word <code>{triggerWord}</code> so the model draws you.{' '}
        <button type="button" className="link-button" onClick={() => onFix(addTrigger(prompt, triggerWord))}>
          Add it
        </button>
      </span>
    </p>
  );
}

/** about N of 512 tokens, a bar that turns amber then red, and CLIP's window explained. */
export function LengthMeter({ prompt, model }: { prompt: string; model: unknown }) {
  const fb = lengthFeedback(prompt, model);
  if (!fb.tokens) return null;
  return (
    <div className={`length-meter length-meter--${fb.level}`} data-testid="length-meter" data-level={fb.level}>
      <div className="length-row">
        <div
          className="length-bar"
          role="meter"
          aria-label="Prompt length"
          aria-valuemin={0}
          aria-valuemax={fb.limit}
          aria-valuenow={Math.min(fb.tokens, fb.limit)}
          aria-valuetext={fb.text}
        >
          <div className="length-fill" style={{ '--fill': `${Math.round(fb.fraction * 100)}%` } as CSSProperties} />
        </div>
        <span className="length-text">{fb.text}</span>
      </div>
      {fb.pastClip ? (
        <p className="length-note">
          <IconInfo size={12} />
          <span>Past CLIP’s 77-token window: the first ~60 words matter most, so put who and where first.</span>
        </p>
      ) : null}
    </div>
  );
}

/** Style fragments as toggle chips: on = its text is in the prompt. */
export function StyleChips({ prompt, onChange }: { prompt: string; onChange(p: string): void }) {
  return (
    <div className="style-chips" role="group" aria-label="Style">
      <span className="suggestions-label">Style</span>
      {FRAGMENTS.map((f) => {
        const on = hasFragment(prompt, f.text);
        return (
          <button
            key={f.id}
            type="button"
            className={`style-chip${on ? ' is-on' : ''}`}
            aria-pressed={on}
            title={on ? `Remove “${f.text}” from the prompt` : `Add “${f.text}” to the prompt`}
            onClick={() => onChange(toggleFragment(prompt, f.text))}
          >
            {on ? <IconCheck size={12} /> : <IconPlus size={12} />}
            {f.label}
          </button>
        );
      })}
    </div>
  );
}

/** Prompts used before (main keeps them), newest first, to pick one again. */
export function RecentMenu({ onPick }: { onPick(p: string): void }) {
  const recent = usePrompts((s) => s.recent);
  const refresh = usePrompts((s) => s.refresh);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return (
    <Popover
      label={
        <>
          <IconClock size={13} /> Recent
        </>
      }
      buttonClassName="button button--small button--quiet"
      buttonTitle={recent.length ? 'Use a prompt again' : 'Prompts you generate with show up here'}
      disabled={!recent.length}
      panelLabel="Recent prompts"
      align="end"
      testId="recent-prompts"
    >
      {(close) => (
        <ul className="recent-list">
          {recent.slice(0, 12).map((p) => (
            <li key={p}>
              <button
                type="button"
                className="recent-item"
                title={p}
                onClick={() => {
                  onPick(p);
                  close();
                }}
              >
                <span className="recent-text">{p}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
