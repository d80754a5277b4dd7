/**
 * The pieces around the prompt box: the trigger-word chip (click to insert it, the pencil changes
 * it for this model, "What is this?" says what it is and where to find a model's own),
 * the warning when the prompt lacks it, style fragments as toggle chips, recent prompts, and the
 * length meter against the model's text limits.
 */
import { useEffect, useId, useRef, useState, type CSSProperties } from 'react';
import { asClientError, client } from '../../app/client';
import { usePrompts } from './prompts-store';
import { useSettings } from '../settings/settings-store';
import { Popover } from '../../app/controls';
import { IconAlert, IconCheck, IconClock, IconExternal, IconInfo, IconPencil, IconPlus } from '../../app/icons';
import {
  FRAGMENTS,
  TRAINER_DEFAULT_TRIGGER,
  addTrigger,
  hasFragment,
  lengthFeedback,
  mentionsTrigger,
  toggleFragment,
  triggerFromDescription,
} from './logic';
import './prompt-bits.css';

/** The key Settings keep a model's trigger word under: `owner/name`. */
export function triggerKey(model: { owner: string; name: string }): string {
  return `${model.owner}/${model.name}`;
}

/** The model's page on Replicate where its versions (and their descriptions) are listed. */
export function versionsUrl(model: { owner: string; name: string }): string {
  return `https://replicate.com/${encodeURIComponent(model.owner)}/${encodeURIComponent(model.name)}/versions`;
}

/**
 * The trigger word of the current model: a chip that inserts it into the prompt (at the caret),
 * a pencil to change it for this model, and "What is this?" saying what it is and where to find
 * a model's own. A word the model's description names is offered when it differs.
 */
export function TriggerChip({
  model,
  triggerWord,
  inPrompt = false,
  onInsert,
}: {
  model: { owner: string; name: string; description?: string } | null;
  triggerWord: string | undefined;
  /** the prompt already has it: the chip shows where instead of adding it twice */
  inPrompt?: boolean;
  onInsert?(word: string): void;
}) {
  const update = useSettings((s) => s.update);
  const [editing, setEditing] = useState(false);
  const [help, setHelp] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  // Enter or Escape closed the box: the blur that may follow must not save (again, or at all).
  const closing = useRef(false);
  const id = useId();

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  if (!model) return null;
  const suggested = triggerFromDescription(model.description);
  const offer = suggested && suggested !== triggerWord ? suggested : undefined;

  async function saveWord(value: string) {
    if (!model) return;
    if (value === (triggerWord ?? '')) return;
    try {
      const current = useSettings.getState().settings?.triggerWords ?? {};
      await update({ triggerWords: { ...current, [triggerKey(model)]: value } });
      setError(null);
    } catch (e) {
      setError(asClientError(e).message);
    }
  }

  function startEditing() {
    closing.current = false;
    setText(triggerWord ?? '');
    setEditing(true);
  }

  function stopEditing(save: boolean) {
    closing.current = true;
    setEditing(false);
    if (save) void saveWord(text.trim());
    // Back to the pencil (or the chip, when there was no word), not lost to <body>.
    requestAnimationFrame(() =>
      (editButton.current ?? document.querySelector<HTMLElement>(`[data-trigger-chip="${id}"]`))?.focus(),
    );
  }

  return (
    <div className="trigger-block" data-no-shortcuts>
      <div className="trigger-row">
        <span className="trigger-label" id={`${id}-label`}>
          Trigger word
        </span>
        <button
          type="button"
          className="icon-button trigger-help-toggle"
          aria-label="What is this?"
          title="What is a trigger word, and where do I find mine?"
          aria-expanded={help}
          aria-controls={`${id}-help`}
          onClick={() => setHelp(!help)}
        >
          <IconInfo size={13} />
        </button>
        {editing ? (
          <input
            ref={input}
            className="input trigger-input"
            value={text}
            maxLength={100}
            aria-labelledby={`${id}-label`}
            aria-describedby={`${id}-keys`}
            placeholder={`e.g. ${TRAINER_DEFAULT_TRIGGER}`}
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
            onBlur={() => {
              if (closing.current) return;
              setEditing(false);
              void saveWord(text.trim());
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                stopEditing(true);
              } else if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                stopEditing(false);
              }
            }}
          />
        ) : triggerWord ? (
          <>
            <button
              type="button"
              className={`trigger-chip trigger-chip--insert${inPrompt ? ' is-in' : ''}`}
              aria-label={
                inPrompt ? `${triggerWord} is in your prompt: show where` : `Insert ${triggerWord} into the prompt`
              }
              title={
                inPrompt
                  ? 'Already in your prompt: click to see where'
                  : 'Click to insert it into your prompt at the cursor'
              }
              data-testid="trigger-chip"
              data-trigger-chip={id}
              onClick={() => onInsert?.(triggerWord)}
            >
              {inPrompt ? <IconCheck size={12} /> : <IconPlus size={12} className="trigger-plus" />}
              <span>{triggerWord}</span>
            </button>
            <button
              ref={editButton}
              type="button"
              className="icon-button trigger-edit-button"
              aria-label="Change the trigger word"
              title={`Change the trigger word of ${triggerKey(model)}`}
              onClick={startEditing}
            >
              <IconPencil size={13} />
            </button>
          </>
        ) : (
          <button
            type="button"
            className="trigger-chip trigger-chip--unset"
            aria-label="Set the trigger word"
            title={`The word ${triggerKey(model)} was trained with`}
            data-testid="trigger-chip"
            data-trigger-chip={id}
            onClick={startEditing}
          >
            <IconPlus size={12} />
            <span>Set it</span>
          </button>
        )}
      </div>
      <span className="visually-hidden" id={`${id}-keys`}>
        Press Enter to save it for this model, Escape to cancel.
      </span>
      {offer && !editing ? (
        <p className="trigger-offer" data-testid="trigger-offer">
          The model’s description names <code>{offer}</code>.{' '}
          <button type="button" className="link-button" onClick={() => void saveWord(offer)}>
            Use {offer}
          </button>
        </p>
      ) : null}
      {help ? (
        <div className="trigger-help" id={`${id}-help`} data-testid="trigger-help">
          <p>
            <strong>The word your model learned you by.</strong> A LoRA is trained with one word standing for you (the
            trainer’s <code>trigger_word</code>; <code>{TRAINER_DEFAULT_TRIGGER}</code> unless it was changed). With it
            in the prompt the model draws you; without it, someone else.
          </p>
          <p>
            <strong>Where to find your model’s:</strong> on Replicate, in the description of the trained version (
            {triggerKey(model)} → Versions), or in the input of the training that made it (its <code>trigger_word</code>
            ). Then set it here with the pencil; it is kept for this model.
          </p>
          <button
            type="button"
            className="link-button"
            onClick={() => void client.app.openExternal({ url: versionsUrl(model) }).catch(() => {})}
          >
            <IconExternal size={12} /> Open {triggerKey(model)} on Replicate
          </button>
        </div>
      ) : (
        <span className="visually-hidden" id={`${id}-help`} />
      )}
      {error ? (
        <p className="trigger-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The warning under the prompt when it does not mention the trigger word, with a fix. */
export function TriggerWarning({
  prompt,
  triggerWord,
  onFix,
}: {
  prompt: string;
  triggerWord: string | undefined;
  onFix(p: string): void;
}) {
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
