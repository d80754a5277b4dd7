/**
 * The training form under the set: the new model's name, its trigger word (suggested, made up,
 * explained), the trainer, Simple (a quality preset) or Advanced (the trainer's own inputs), and
 * the time and cost before anything is paid for. Train is disabled with the reason in words
 * until the set and the form are ready; main checks it all again.
 */
import { useEffect, useId } from 'react';
import { QUALITY_PRESETS, QUALITY_PRESET_NAMES, TRIGGER_WORD_HELP } from '../../../shared/training/training';
import type { TrainingSetViewT } from '../../../shared/ipc/contract';
import { ErrorText, Field, Segmented, Spinner } from '../../app/controls';
import { IconDice, IconInfo, IconSparkles } from '../../app/icons';
import { useToken } from '../welcome/token-store';
import { TrainerFields } from './TrainerFields';
import {
  estimateWords,
  formProblems,
  hasProblems,
  isRunning,
  seededRandom,
  slugName,
  suggestTrigger,
} from './train-logic';
import { useTrainings } from './trainings-store';

export function TrainForm({ set }: { set: TrainingSetViewT }) {
  const form = useTrainings((s) => s.form);
  const trainers = useTrainings((s) => s.trainers);
  const trainersError = useTrainings((s) => s.trainersError);
  const models = useTrainings((s) => s.models);
  const trainings = useTrainings((s) => s.trainings);
  const starting = useTrainings((s) => s.starting);
  const startError = useTrainings((s) => s.startError);
  const triggerTouched = useTrainings((s) => s.triggerTouched);
  const { setForm, setMode, setPreset, start } = useTrainings.getState();
  const account = useToken((s) => s.status?.account?.username);
  const id = useId();
  const trainer = trainers.find((t) => t.ref === form.trainer);
  const taken = models.map((m) => m.triggerWord);

  // A trigger word from the name until the person writes their own.
  useEffect(() => {
    if (triggerTouched) return;
    const w = suggestTrigger(form.name, taken, seededRandom(form.name));
    if (w !== useTrainings.getState().form.triggerWord) setForm({ triggerWord: w });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `taken` changes only with the models list
  }, [form.name, triggerTouched, models]);

  const problems = formProblems(form, trainer);
  const running = trainings.find(isRunning);
  const estimate = estimateWords(form, trainer);
  const serverField = (f: string) => startError?.fieldMessage(f);

  let reason: string | null = null;
  if (running) reason = `A training is running (${running.destination}). Wait for it to finish, or cancel it.`;
  else if (set.summary.unchecked) reason = 'Wait until every photo is checked.';
  else if (!set.summary.ready) reason = 'The set is not ready yet: see the line above the photos.';
  else if (!trainer) reason = trainersError ? 'The trainer could not be read; see above.' : 'Loading the trainer…';
  else if (hasProblems(problems)) reason = 'Fix the fields marked in red.';

  const owner = form.name.includes('/') ? form.name.split('/')[0] : account;
  const modelName = form.name.split('/').pop()?.trim() || 'my-model';

  return (
    <section className="training-form" aria-labelledby={`${id}-title`} data-testid="train-form">
      <h2 id={`${id}-title`}>Train a model on these photos</h2>
      <p className="muted small">
        {set.summary.included} photos go in. Training runs on Replicate and is billed to your account there; the new
        model is private to you.
      </p>

      <Field
        label="Model name"
        htmlFor={`${id}-name`}
        error={(form.name && problems.name) || serverField('name') || null}
        help={`Your private model on Replicate: ${owner ? `${owner}/` : ''}${slugName(modelName) || 'my-model'}. Lowercase letters, digits and dashes; write owner/name to put it under another account you own.`}
      >
        {({ describedBy, invalid }) => (
          <input
            id={`${id}-name`}
            className="input"
            value={form.name}
            placeholder="my-brand-model"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => setForm({ name: e.target.value })}
            onBlur={() => {
              const slug = form.name.includes('/') ? form.name.trim() : slugName(form.name);
              if (slug && slug !== form.name) setForm({ name: slug });
            }}
          />
        )}
      </Field>

      <Field
        label="Trigger word"
        htmlFor={`${id}-tw`}
        error={problems.triggerWord || serverField('triggerWord') || null}
        help={
          <>
            <strong>The word that means your face in a prompt.</strong> Write it in a prompt (“a photo of{' '}
            {form.triggerWord || 'SSLFQX'} at a desk”) and the model draws you; a made-up word, so nothing the model
            already knows gets mixed in.
          </>
        }
        trailing={
          <button
            type="button"
            className="link-button link-button--muted"
            title="Suggest another made-up word"
            onClick={() => {
              useTrainings.setState({ triggerTouched: true });
              setForm({ triggerWord: suggestTrigger(form.name, [...taken, form.triggerWord]) });
            }}
          >
            <IconDice size={13} /> Suggest another
          </button>
        }
      >
        {({ describedBy, invalid }) => (
          <input
            id={`${id}-tw`}
            className="input training-trigger"
            value={form.triggerWord}
            autoComplete="off"
            spellCheck={false}
            title={TRIGGER_WORD_HELP}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => {
              useTrainings.setState({ triggerTouched: true });
              setForm({ triggerWord: e.target.value });
            }}
          />
        )}
      </Field>

      {trainers.length > 1 ? (
        <Field label="Trainer" htmlFor={`${id}-trainer`} help={trainer?.description}>
          {({ describedBy }) => (
            <select
              id={`${id}-trainer`}
              className="select"
              value={form.trainer}
              aria-describedby={describedBy}
              onChange={(e) => setForm({ trainer: e.target.value, values: {} })}
            >
              {trainers.map((t) => (
                <option key={t.ref} value={t.ref}>
                  {t.ref}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {trainersError ? <ErrorText>{trainersError}</ErrorText> : null}

      <div className="training-mode">
        <span className="field-label" id={`${id}-mode`}>
          Settings
        </span>
        <Segmented
          labelledBy={`${id}-mode`}
          options={[
            { value: 'simple', label: 'Simple', title: 'A quality preset' },
            { value: 'advanced', label: 'Advanced', title: 'Every setting of the trainer' },
          ]}
          value={form.mode}
          onChange={setMode}
        />
      </div>

      {form.mode === 'simple' ? (
        <div className="training-presets">
          <span className="field-label" id={`${id}-preset`}>
            Quality
          </span>
          <Segmented
            labelledBy={`${id}-preset`}
            options={QUALITY_PRESET_NAMES.map((p) => ({ value: p, label: QUALITY_PRESETS[p].label }))}
            value={form.preset}
            onChange={setPreset}
          />
          <p className="field-help">{QUALITY_PRESETS[form.preset].help}</p>
        </div>
      ) : trainer ? (
        <TrainerFields trainer={trainer} problems={problems.fields} />
      ) : null}

      {estimate ? (
        <div className="training-estimate" data-testid="training-estimate">
          <p>
            <IconInfo size={14} /> <span>{estimate.line}</span>
          </p>
          <p className="muted small">{estimate.source}</p>
        </div>
      ) : null}

      {startError ? <ErrorText>{startError.message}</ErrorText> : null}
      <div className="training-go">
        <button
          type="button"
          className="button button--primary button--large"
          disabled={!!reason || starting}
          aria-describedby={`${id}-reason`}
          onClick={() => void start(set.id)}
        >
          {starting ? <Spinner /> : <IconSparkles size={16} />} {starting ? 'Starting…' : 'Train'}
        </button>
        <p className="muted small" id={`${id}-reason`} aria-live="polite">
          {reason ?? 'Ready. Nothing is uploaded or charged until you press Train.'}
        </p>
      </div>
    </section>
  );
}
