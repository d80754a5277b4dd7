// @vitest-environment happy-dom
/**
 * Selfie import (issue #5): refused files listed with their reasons, progress, drop and paste.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { resetMaskSession } from '../../../renderer/features/canvas';
import { ok } from './fake-studio';
import { teardown } from './setup';
import { SELFIE, studio } from './prompt-studio';

afterEach(() => {
  teardown();
  resetMaskSession();
});

const img = (name: string, type = 'image/jpeg') => new File([new Uint8Array([1, 2, 3])], name, { type });

describe('selfie import', () => {
  it('lists each refused file with its reason (dismissable); the others import; progress while importing', async () => {
    let release!: () => void;
    const { fake } = await studio((f) =>
      f.handle(
        'selfies:import',
        () =>
          new Promise((resolve) => {
            release = () =>
              resolve(
                ok({
                  imported: [SELFIE],
                  duplicates: [],
                  errors: [
                    {
                      name: 'broken.jpg',
                      code: 'corrupt_file' as const,
                      message: 'This photo is damaged and cannot be opened.',
                    },
                    {
                      name: 'notes.pdf',
                      code: 'unsupported_file' as const,
                      message: '“notes.pdf” is not a photo the app can read.',
                    },
                  ],
                }),
              );
          }),
      ),
    );
    fake.handle('selfies:list', () => ok([SELFIE]));
    const studioEl = screen.getByTestId('studio');
    fireEvent.dragEnter(studioEl, { dataTransfer: { types: ['Files'], files: [] } });
    expect(screen.getByTestId('drop-overlay').textContent).toContain('Drop photos to add them to your selfies');
    fireEvent.drop(screen.getByTestId('canvas-slot'), {
      dataTransfer: {
        types: ['Files'],
        files: [img('me.jpg'), img('broken.jpg'), img('notes.pdf', 'application/pdf')],
      },
    });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    expect(await screen.findByText('Importing 3 photos…')).toBeTruthy();
    await act(async () => release());
    const result = await screen.findByTestId('import-result');
    expect(within(result).getByText('Added 1 selfie.')).toBeTruthy();
    expect(within(result).getByText('2 files could not be added:')).toBeTruthy();
    const items = within(result)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      'broken.jpg: This photo is damaged and cannot be opened.',
      '“notes.pdf” is not a photo the app can read.',
    ]);
    expect(screen.queryByText(/Importing/)).toBeNull();
    expect(fake.fn['selfies:import']).toHaveBeenCalledTimes(1);
    fireEvent.click(within(result).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('import-result')).toBeNull();
    // The selfie is on the shelf; clicking it makes it the starting photo.
    fireEvent.click(await screen.findByRole('button', { name: 'Selfie me.jpg' }));
    expect(screen.getByText('Starting from a photo')).toBeTruthy();
  });

  it('Cmd/Ctrl+V with an image imports it, unless focus is in a text field', async () => {
    const { fake, prompt } = await studio();
    prompt.focus();
    fireEvent.paste(prompt, { clipboardData: { files: [img('image.png', 'image/png')], items: [] } });
    expect(fake.fn['selfies:import']).not.toHaveBeenCalled();
    prompt.blur();
    fireEvent.paste(document.body, { clipboardData: { files: [img('image.png', 'image/png')], items: [] } });
    await waitFor(() => expect(fake.fn['selfies:import']).toHaveBeenCalledTimes(1));
    const req = fake.fn['selfies:import'].mock.calls[0]![0] as { files: File[] };
    expect(req.files[0]!.name).toMatch(/^Pasted \d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d\.png$/);
    // Text on the clipboard: nothing to import.
    fireEvent.paste(document.body, { clipboardData: { files: [], items: [] } });
    expect(fake.fn['selfies:import']).toHaveBeenCalledTimes(1);
  });
});
