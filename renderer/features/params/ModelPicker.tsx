/**
 * The studio's model picker, beside the model's name: the models trained in this library
 * (newest first, each with its trigger word), the default sseelfie-ai model, and a way to type any
 * other in Settings. Choosing one makes it the default model; its schema is read from its version.
 */
import { useEffect, useState } from 'react';
import type { TrainedModelT } from '../../../shared/ipc/contract';
import { DEFAULT_MODEL } from '../../../shared/model/rules';
import { Popover, Spinner, ErrorText } from '../../app/controls';
import { IconCheck } from '../../app/icons';
import { asClientError, client } from '../../app/client';
import { useModel } from './model-store';
import { useNav } from '../../app/nav-store';
import { chooseModel } from './model-choice';

const BUILTIN_MODEL = DEFAULT_MODEL;

function when(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

function PickerPanel({ close }: { close: () => void }) {
  const current = useModel((s) => s.info?.ref);
  const go = useNav((s) => s.go);
  const [models, setModels] = useState<TrainedModelT[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // read each time it opens: a training may have finished since
  useEffect(() => {
    let live = true;
    client.training
      .list()
      .then((r) => live && setModels(r.models))
      .catch((e) => live && setError(asClientError(e).message));
    return () => {
      live = false;
    };
  }, []);
  const pick = async (ref: string, m?: TrainedModelT) => {
    try {
      await chooseModel(ref, m);
      close();
    } catch (e) {
      setError(asClientError(e).message);
    }
  };
  const isCurrent = (ref: string) => current === ref || current?.split(':')[0] === ref;
  return (
    <div className="model-picker" data-testid="model-picker">
      <p className="model-picker-head">Your trained models</p>
      {models === null && !error ? <Spinner label="Loading your models" /> : null}
      {models && !models.length ? (
        <p className="muted small model-picker-empty">None yet: train one from your selfies in Train.</p>
      ) : null}
      <ul className="model-picker-list" aria-label="Models">
        {(models ?? []).map((m) => (
          <li key={m.ref}>
            <button
              type="button"
              className="model-picker-item"
              aria-current={current === m.ref ? 'true' : undefined}
              onClick={() => void pick(m.ref, m)}
            >
              <span className="model-picker-name">{m.destination}</span>
              <span className="muted small">
                trigger word {m.triggerWord} · trained {when(m.trainedAt)} · version {m.versionId.slice(0, 8)}
              </span>
              {current === m.ref ? <IconCheck size={14} /> : null}
            </button>
          </li>
        ))}
        <li>
          <button
            type="button"
            className="model-picker-item"
            aria-current={isCurrent(BUILTIN_MODEL) ? 'true' : undefined}
            onClick={() => void pick(BUILTIN_MODEL)}
          >
            <span className="model-picker-name">{BUILTIN_MODEL}</span>
            <span className="muted small">the studio’s own model</span>
            {isCurrent(BUILTIN_MODEL) ? <IconCheck size={14} /> : null}
          </button>
        </li>
      </ul>
      {error ? <ErrorText>{error}</ErrorText> : null}
      <div className="model-picker-foot">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            close();
            go('train');
          }}
        >
          Train a model…
        </button>
        <button
          type="button"
          className="link-button link-button--muted"
          onClick={() => {
            close();
            go('settings');
          }}
        >
          Another model…
        </button>
      </div>
    </div>
  );
}

export function ModelPicker() {
  return (
    <Popover
      label="Change"
      buttonClassName="link-button link-button--muted"
      buttonTitle="Choose the model the studio generates with"
      panelLabel="Choose a model"
    >
      {(close) => <PickerPanel close={close} />}
    </Popover>
  );
}
