/**
 * "Train": gathering the selfies a model of the person's face is trained on. They drop or pick
 * photos, each is checked on this computer (main's TrainingSets) and the verdict shown on it in
 * words; they include or leave out any photo against the check and may caption it. Then the
 * training form (TrainForm.tsx), the running training and the earlier ones (TrainingProgress.tsx).
 */
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type { TrainingPhotoViewT } from '../../../shared/ipc/contract';
import { Banner, ErrorText, Spinner, Switch } from '../../app/controls';
import { IconAlert, IconCheck, IconClock, IconInfo, IconTrash, IconUpload } from '../../app/icons';
import { assetUrl } from '../../app/client';
import { addLine, progressLine, summaryLine, verdictWords, MAX_PHOTOS, MIN_PHOTOS, type VerdictTone } from './logic';
import { connectTraining, useTraining } from './training-store';
import { connectTrainings, useTrainings } from './trainings-store';
import { TrainForm } from './TrainForm';
import { PastTrainings, TrainingCard } from './TrainingProgress';
import './training.css';
import './train-form.css';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,image/heic,image/heif,image/tiff,image/gif,.heic,.heif';

function ToneIcon({ tone }: { tone: VerdictTone }) {
  if (tone === 'ok') return <IconCheck size={14} />;
  if (tone === 'advice') return <IconInfo size={14} />;
  if (tone === 'excluded') return <IconAlert size={14} />;
  return <IconClock size={14} />;
}

function CaptionField({ photo }: { photo: TrainingPhotoViewT }) {
  const setCaption = useTraining((s) => s.setCaption);
  const [text, setText] = useState(photo.caption);
  useEffect(() => setText(photo.caption), [photo.caption]);
  const save = () => {
    if (text.replace(/\s+/g, ' ').trim() !== photo.caption) void setCaption(photo.id, text);
  };
  return (
    <input
      className="input training-caption"
      placeholder="Caption (optional)"
      aria-label={`Caption for ${photo.name}`}
      title="What the trainer reads about this photo, e.g. “smiling, at the beach”. Leave it empty and the trainer writes one."
      maxLength={1000}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
      }}
    />
  );
}

function PhotoCard({ photo, busy }: { photo: TrainingPhotoViewT; busy: boolean }) {
  const setIncluded = useTraining((s) => s.setIncluded);
  const remove = useTraining((s) => s.remove);
  const w = verdictWords(photo);
  const id = useId();
  return (
    <li
      className={`training-photo training-photo--${w.tone}${photo.included ? '' : ' is-out'}`}
      data-testid="training-photo"
      data-file={photo.file}
      data-tone={w.tone}
    >
      <div className="training-thumb">
        <img
          src={assetUrl(photo.thumb.id)}
          alt={photo.name}
          width={photo.thumb.width}
          height={photo.thumb.height}
          loading="lazy"
        />
        <button
          type="button"
          className="icon-button training-remove"
          aria-label={`Remove ${photo.name} from the set`}
          title="Remove from the set (your own file stays)"
          disabled={busy}
          onClick={() => void remove(photo.id)}
        >
          <IconTrash size={14} />
        </button>
      </div>
      <div className="training-photo-body">
        <p
          className="training-name"
          title={photo.name === photo.file ? photo.name : `${photo.name} (stored as ${photo.file})`}
        >
          {photo.name}
        </p>
        <p className={`training-verdict tone-${w.tone}`} data-testid="training-verdict">
          <ToneIcon tone={w.tone} />
          <span>{w.title}</span>
        </p>
        {w.details.length ? (
          <ul className="training-details" id={`${id}-why`}>
            {w.details.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        ) : null}
        <div className="training-include">
          <Switch
            checked={photo.included}
            onChange={(v) => void setIncluded(photo.id, v)}
            label={`Include ${photo.name} in the training`}
            describedBy={w.details.length ? `${id}-why` : undefined}
            disabled={busy}
          />
          <span>{photo.included ? 'Included' : 'Excluded'}</span>
          {w.choice ? <span className="training-choice">· {w.choice}</span> : null}
        </div>
        <CaptionField photo={photo} />
      </div>
    </li>
  );
}

export function TrainView() {
  const set = useTraining((s) => s.set);
  const loaded = useTraining((s) => s.loaded);
  const adding = useTraining((s) => s.adding);
  const checking = useTraining((s) => s.checking);
  const lastAdd = useTraining((s) => s.lastAdd);
  const error = useTraining((s) => s.error);
  const { load, addFiles, check, cancel, dismissAdd } = useTraining.getState();
  const picker = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const titleId = useId();

  const trainings = useTrainings((s) => s.trainings);
  const trainingsError = useTrainings((s) => s.actionError);

  useEffect(() => {
    void load();
    // after a reload of the view: main's list, then its events
    const off = [connectTraining(), connectTrainings()];
    void useTrainings.getState().load();
    return () => off.forEach((f) => f());
  }, [load]);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = Array.from(e.dataTransfer.files ?? []);
    if (files.length) void addFiles(files);
  };
  const photos = set?.photos ?? [];
  const busy = !!checking;
  // the newest training is shown in full while it runs and after; the rest as a list
  const [latest, ...earlier] = trainings;
  const added = lastAdd ? addLine(lastAdd) : null;

  return (
    <main className="page training" aria-labelledby={titleId} data-testid="train-view">
      <div className="page-head">
        <h1 id={titleId}>Train your model</h1>
        <div className="page-actions">
          {photos.length && !checking ? (
            <button type="button" className="button" onClick={() => void check()}>
              Check again
            </button>
          ) : null}
          <button
            type="button"
            className="button button--primary"
            onClick={() => picker.current?.click()}
            disabled={busy}
          >
            <IconUpload size={15} /> Add photos…
          </button>
          <input
            ref={picker}
            type="file"
            multiple
            accept={ACCEPT}
            hidden
            data-testid="training-file-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              void addFiles(files);
            }}
          />
        </div>
      </div>
      <div className="training-column">
        <section className="training-intro">
          <p>
            Training teaches the studio your face: from {MIN_PHOTOS} to {MAX_PHOTOS} selfies it makes a model of its
            own, and the studio then makes photos of your face, in any outfit, place and light you describe.
          </p>
          <p className="muted">
            Use photos of you alone, sharp, from different angles, with different expressions and backgrounds. Each
            photo is checked here on your computer before anything is uploaded.
          </p>
        </section>

        <div
          className={`training-drop${over ? ' is-over' : ''}`}
          data-testid="training-drop"
          onDragEnter={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragOver={(e) => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
          }}
          onDragLeave={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
          }}
          onDrop={onDrop}
        >
          <IconUpload size={22} />
          <p>
            Drop selfies here, or{' '}
            <button type="button" className="link-button" onClick={() => picker.current?.click()}>
              choose them
            </button>
          </p>
          <p className="muted small">
            JPEG, PNG, WebP, AVIF, HEIC, TIFF or GIF · up to 100 MB each · stored without their metadata (place, camera)
          </p>
          {adding ? <Spinner label={`Adding ${adding === 1 ? 'a photo' : `${adding} photos`}…`} /> : null}
        </div>

        {error ? <ErrorText>{error}</ErrorText> : null}
        {lastAdd && (added || lastAdd.errors.length) ? (
          <Banner tone={lastAdd.errors.length ? 'warning' : 'info'} onDismiss={dismissAdd} dismissLabel="Dismiss">
            {added ? <p>{added}</p> : null}
            {lastAdd.errors.map((e, i) => (
              <p key={i}>{e.message.includes(e.name) ? e.message : `${e.name}: ${e.message}`}</p>
            ))}
          </Banner>
        ) : null}

        {checking ? (
          <div className="training-progress" data-testid="training-progress" role="status">
            <div className="training-progress-text">
              <Spinner />
              <span>{progressLine(checking)}</span>
              <button type="button" className="button button--small" onClick={() => void cancel()}>
                Cancel
              </button>
            </div>
            <div className={`progress${checking.done === 0 ? ' progress--indeterminate' : ''}`}>
              <div
                className="progress-fill"
                style={
                  checking.done === 0
                    ? undefined
                    : { width: `${Math.round((checking.done / Math.max(1, checking.total)) * 100)}%` }
                }
              />
            </div>
          </div>
        ) : null}

        {set && photos.length ? (
          <section className="training-summary" data-testid="training-summary" aria-live="polite">
            <p className={`training-summary-line${set.summary.ready ? ' is-ready' : ''}`}>
              {set.summary.ready ? <IconCheck size={15} /> : <IconInfo size={15} />} {summaryLine(set.summary)}
            </p>
            {set.summary.problems.map((p) => (
              <p key={p.code} className="muted small">
                {p.message}
              </p>
            ))}
          </section>
        ) : null}

        {latest ? <TrainingCard v={latest} /> : null}
        {trainingsError ? <ErrorText>{trainingsError}</ErrorText> : null}

        {!loaded ? (
          <div className="page-loading">
            <Spinner label="Loading your training set" />
          </div>
        ) : photos.length ? (
          <ul className="training-grid" aria-label="Training photos">
            {photos.map((p) => (
              <PhotoCard key={p.id} photo={p} busy={busy} />
            ))}
          </ul>
        ) : null}

        {set && photos.length && !checking ? <TrainForm set={set} /> : null}
        <PastTrainings list={earlier} />
      </div>
    </main>
  );
}
