// @vitest-environment happy-dom
/**
 * The Train view over a fake bridge: the verdicts in words, include/exclude, the summary line,
 * the check's progress with Cancel, and what an add reports.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TrainingPhotoViewT, TrainingSetViewT } from '../../../../shared/ipc/contract';
import { TrainView } from '../../../../renderer/features/training/TrainView';
import { resetTraining } from '../../../../renderer/features/training/training-store';
import { summaryLine, verdictWords } from '../../../../renderer/features/training/logic';
import { createFakeStudio, fail, ok, type FakeStudio } from '../fake-studio';
import { startWith, teardown } from '../setup';
import { setPhoto } from './set-photo';

afterEach(() => {
  teardown();
  resetTraining();
});

const BLURRY =
  'Blurry: nothing in the photo is in sharp focus. Leave it out, or take it again holding the phone still.';
const DUP = 'Duplicate of "IMG_0042.jpg" (the same picture); that copy is kept, this one is left out.';
const LOWRES =
  'Low resolution: 600 × 780 pixels. It can be used, but photos with at least 1024 pixels on the short side train a sharper model.';

const photo = setPhoto;

/** A fake main that keeps the set and recounts it like TrainingSets does. */
function withSet(photos: TrainingPhotoViewT[]): {
  fake: FakeStudio;
  current: () => TrainingSetViewT;
  add: (p: TrainingPhotoViewT) => void;
  checkAll: () => void;
} {
  let list = photos;
  const view = (): TrainingSetViewT => {
    const included = list.filter((p) => p.included).length;
    return {
      id: 't_set000',
      photos: list,
      summary: {
        included,
        excluded: list.length - included,
        unchecked: list.filter((p) => !p.verdict).length,
        ready: included >= 10 && included <= 40,
        problems:
          included < 10
            ? [
                {
                  code: 'too-few',
                  message: `Only ${included} usable photos. Training needs at least 10: add more photos of yourself.`,
                },
              ]
            : [],
      },
      checkedAt: 1,
    };
  };
  const fake = createFakeStudio();
  fake.handle('trainingset:list', () => ok(view()));
  fake.handle('trainingset:setIncluded', ({ id, included }) => {
    list = list.map((p) => (p.id === id ? { ...p, included, overridden: included !== (p.verdict?.ok ?? true) } : p));
    return ok(view());
  });
  fake.handle('trainingset:setCaption', ({ id, caption }) => {
    list = list.map((p) => (p.id === id ? { ...p, caption } : p));
    return ok(view());
  });
  return {
    fake,
    current: view,
    add: (p) => (list = [...list, p]),
    checkAll: () => (list = list.map((p) => (p.verdict ? p : { ...p, verdict: { ok: true, problems: [] } }))),
  };
}

const card = (file: string) => screen.getAllByTestId('training-photo').find((el) => el.dataset.file === file)!;

describe('Train view', () => {
  it('explains what training gives and shows each verdict in words', async () => {
    const { fake } = withSet([
      photo(2, {
        file: 'IMG_0042.jpg',
        verdict: { ok: true, problems: [{ code: 'low-resolution', message: LOWRES }] },
      }),
      photo(3, {
        file: 'copy.jpg',
        included: false,
        verdict: { ok: false, problems: [{ code: 'duplicate', message: DUP, of: 'p_photo200' }] },
      }),
      photo(4, {
        file: 'soft.jpg',
        included: false,
        verdict: { ok: false, problems: [{ code: 'blurry', message: BLURRY }] },
      }),
      photo(5, { file: 'new.jpg', verdict: null }),
      photo(6, { file: 'fine.jpg' }),
    ]);
    startWith(fake, <TrainView />);
    expect(await screen.findByText(/the studio then makes photos of your face/)).toBeTruthy();
    await screen.findAllByTestId('training-photo');
    expect(within(card('IMG_0042.jpg')).getByTestId('training-verdict').textContent).toBe('Low resolution');
    expect(card('IMG_0042.jpg').dataset.tone).toBe('advice');
    expect(within(card('copy.jpg')).getByTestId('training-verdict').textContent).toBe('Duplicate');
    expect(within(card('copy.jpg')).getByText(DUP)).toBeTruthy();
    expect(within(card('soft.jpg')).getByTestId('training-verdict').textContent).toBe('Blurry');
    expect(within(card('soft.jpg')).getByText(BLURRY)).toBeTruthy();
    expect(card('soft.jpg').dataset.tone).toBe('excluded');
    expect(within(card('new.jpg')).getByTestId('training-verdict').textContent).toBe('Not checked yet');
    expect(within(card('fine.jpg')).getByTestId('training-verdict').textContent).toBe('Good for training');
    expect(screen.getByTestId('training-summary').textContent).toContain(
      '3 usable photos · 2 excluded · 1 not checked yet · Add at least 10',
    );
    // Train waits, with the reason in words, until every photo is checked
    expect((screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Wait until every photo is checked.')).toBeTruthy();
  });

  it('a toggle includes an excluded photo, says it is the person’s choice, and the summary follows', async () => {
    const user = userEvent.setup();
    const { fake } = withSet([
      photo(1),
      photo(2, {
        file: 'soft.jpg',
        included: false,
        verdict: { ok: false, problems: [{ code: 'blurry', message: BLURRY }] },
      }),
    ]);
    startWith(fake, <TrainView />);
    await screen.findAllByTestId('training-photo');
    expect(screen.getByTestId('training-summary').textContent).toContain('1 usable photo · 1 excluded');
    const toggle = within(card('soft.jpg')).getByRole('switch', { name: 'Include soft.jpg in the training' });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    await user.click(toggle);
    expect(fake.fn['trainingset:setIncluded']).toHaveBeenCalledWith({ id: 'p_photo200', included: true });
    await waitFor(() =>
      expect(screen.getByTestId('training-summary').textContent).toContain('2 usable photos · Add at least 10'),
    );
    expect(within(card('soft.jpg')).getByText('· Included by you')).toBeTruthy();
    expect(within(card('soft.jpg')).getByRole('switch').getAttribute('aria-checked')).toBe('true');

    await user.click(within(card('IMG_0041.jpg')).getByRole('switch'));
    expect(fake.fn['trainingset:setIncluded']).toHaveBeenLastCalledWith({ id: 'p_photo100', included: false });
    await waitFor(() =>
      expect(screen.getByTestId('training-summary').textContent).toContain('1 usable photo · 1 excluded'),
    );
  });

  it('a caption is saved when the field is left', async () => {
    const user = userEvent.setup();
    const { fake } = withSet([photo(1)]);
    startWith(fake, <TrainView />);
    const field = await screen.findByLabelText('Caption for IMG_0041.jpg');
    await user.type(field, 'smiling at the beach{Enter}');
    expect(fake.fn['trainingset:setCaption']).toHaveBeenCalledWith({
      id: 'p_photo100',
      caption: 'smiling at the beach',
    });
  });

  it('adding photos checks them, with “Loading the face model…”, progress and Cancel; errors name the file', async () => {
    const user = userEvent.setup();
    const { fake, current, add, checkAll } = withSet([]);
    let finish!: () => void;
    fake.handle('trainingset:add', () => {
      add(photo(1, { verdict: null }));
      return ok({
        set: current(),
        added: ['p_photo100'],
        alreadyIn: [{ name: 'again.jpg', as: 'IMG_0041.jpg' }],
        errors: [{ name: 'notes.txt', code: 'unsupported_file', message: '"notes.txt" is not an image.' }],
      });
    });
    fake.handle(
      'trainingset:check',
      () =>
        new Promise(
          (resolve) =>
            (finish = () => {
              checkAll();
              resolve(ok(current()));
            }),
        ),
    );
    fake.handle('trainingset:cancel', () => ok(null));
    startWith(fake, <TrainView />);
    await screen.findByTestId('train-view');
    await user.upload(screen.getByTestId('training-file-input') as HTMLInputElement, [
      new File(['x'], 'a.jpg', { type: 'image/jpeg' }),
    ]);
    await waitFor(() => expect(fake.fn['trainingset:check']).toHaveBeenCalled());
    expect(screen.getByText('Added 1 photo · 1 already in the set (again.jpg as IMG_0041.jpg)')).toBeTruthy();
    expect(screen.getByText('"notes.txt" is not an image.')).toBeTruthy();
    fake.emit('trainingset:progress', { setId: 't_set000', done: 0, total: 12, loadingModel: true });
    expect(await screen.findByText('Loading the face model…')).toBeTruthy();
    fake.emit('trainingset:progress', {
      setId: 't_set000',
      done: 3,
      total: 12,
      loadingModel: false,
      name: 'IMG_0043.jpg',
    });
    expect(await screen.findByText('Checking 4 of 12 · last: IMG_0043.jpg')).toBeTruthy();
    await user.click(within(screen.getByTestId('training-progress')).getByRole('button', { name: 'Cancel' }));
    expect(fake.fn['trainingset:cancel']).toHaveBeenCalled();
    finish();
    await waitFor(() => expect(screen.queryByTestId('training-progress')).toBeNull());
  });
});

describe('Train view: checks', () => {
  it('photos dropped while a check ran are checked right after it; a failed check says why', async () => {
    const user = userEvent.setup();
    const { fake, current, add } = withSet([photo(1)]);
    let calls = 0;
    fake.handle('trainingset:check', () => {
      calls++;
      if (calls === 1) add(photo(2, { verdict: null })); // arrived while this check ran; never checked by this fake
      return ok(current());
    });
    startWith(fake, <TrainView />);
    await user.click(await screen.findByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(fake.fn['trainingset:check']).toHaveBeenCalledTimes(2));
    // one follow-up, never a loop, even when a photo stays unchecked
    await waitFor(() => expect(screen.queryByTestId('training-progress')).toBeNull());
    expect(fake.fn['trainingset:check']).toHaveBeenCalledTimes(2);

    fake.handle('trainingset:check', () =>
      fail('internal', 'The photo checker stopped: out of memory. Check the set again.'),
    );
    await waitFor(() => expect(screen.queryByTestId('training-progress')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByText('The photo checker stopped: out of memory. Check the set again.')).toBeTruthy();
  });
});

describe('Train wording', () => {
  it('the summary says what to do at both limits', () => {
    expect(summaryLine({ included: 14, excluded: 2, unchecked: 0, ready: true, problems: [] })).toBe(
      '14 usable photos · 2 excluded · Ready for training',
    );
    expect(summaryLine({ included: 41, excluded: 0, unchecked: 0, ready: false, problems: [] })).toBe(
      '41 usable photos · Too many: use at most 40',
    );
    expect(summaryLine({ included: 1, excluded: 0, unchecked: 0, ready: false, problems: [] })).toBe(
      '1 usable photo · Add at least 10',
    );
  });
  it('several advice notes are counted, a photo left out against the check says so', () => {
    const w = verdictWords(
      photo(1, {
        included: false,
        overridden: true,
        verdict: {
          ok: true,
          problems: [
            { code: 'low-resolution', message: LOWRES },
            { code: 'face-too-small', message: 'Your face is small in this photo.' },
          ],
        },
      }),
    );
    expect([w.tone, w.title, w.choice]).toEqual(['advice', '2 suggestions', 'Left out by you']);
  });
});
