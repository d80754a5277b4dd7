// @vitest-environment happy-dom
/**
 * The Export dialog as a person uses it: quality only for JPEG and WebP, the size's pixels, the
 * crop frame moved with the keyboard ends up in the request, stripping says why, the remembered
 * folder is sent, progress and the written files with their warnings; a closed folder dialog
 * goes back to the choices with nothing exported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ExportButton } from '../../../../renderer/features/export';
import { useSettings } from '../../../../renderer/features/settings/settings-store';
import type { Req, Res } from '../../../../shared/ipc/contract';
import { createFakeStudio, ok, settingsView } from '../fake-studio';
import { startWith, teardown } from '../setup';

afterEach(teardown);

const ITEM = { runId: 'run_1', index: 0, assetId: 'runs/run_1/0.webp', width: 896, height: 1152 };

async function open(exportDir: string | null = '/Users/ada/Exports') {
  const user = userEvent.setup();
  const fake = createFakeStudio({ settings: settingsView({ exportDir }) });
  startWith(fake, <ExportButton items={[ITEM]} />);
  await act(() => useSettings.getState().load());
  await user.click(screen.getByRole('button', { name: /Export…/ }));
  return { user, fake, dialog: await screen.findByTestId('export-dialog') };
}

describe('Export dialog', () => {
  it('shows quality only for JPEG and WebP', async () => {
    const { user, dialog } = await open();
    expect(within(dialog).getByLabelText(/Quality/)).toBeTruthy();
    await user.click(within(dialog).getByRole('radio', { name: 'PNG' }));
    expect(within(dialog).queryByLabelText(/Quality/)).toBeNull();
    expect(dialog.textContent).toContain('PNG is lossless');
    await user.click(within(dialog).getByRole('radio', { name: 'WebP' }));
    expect(within(dialog).getByLabelText(/Quality/)).toBeTruthy();
  });

  it('sends the moved crop, the strip choice and the remembered folder, then lists the files with their warnings', async () => {
    const { user, fake, dialog } = await open();
    let resolve!: (v: Res<'export:photos'>) => void;
    fake.handle('export:photos', () => new Promise((r) => (resolve = (v) => r(ok(v)))));
    await user.selectOptions(within(dialog).getByLabelText('Size'), 'square');
    expect(within(dialog).getByTestId('export-pixels').textContent).toContain(
      '896 × 896 px (the photo is smaller: not enlarged)',
    );
    const frame = within(dialog).getByTestId('export-crop');
    fireEvent.keyDown(frame, { key: 'ArrowDown' });
    await user.click(within(dialog).getByLabelText('Include the settings in the file'));
    expect(dialog.textContent).toContain('A brand photo on a public website need not carry its prompt.');
    await user.click(within(dialog).getByRole('button', { name: 'Export photo' }));

    const req = fake.fn['export:photos'].mock.calls[0]![0] as Req<'export:photos'>;
    expect(req).toMatchObject({
      format: 'jpg',
      quality: 90,
      size: 'square',
      stripMetadata: true,
      folder: '/Users/ada/Exports',
    });
    expect(req.items[0]!.crop).toEqual({
      rect: { left: 0, top: 0.02, width: 1, height: expect.closeTo(896 / 1152, 5) },
    });
    // progress for this export moves the bar
    act(() => fake.emit('export:progress', { exportId: 'another-export', done: 5, total: 9 }));
    act(() => fake.emit('export:progress', { exportId: req.exportId!, done: 1, total: 1 }));
    expect(within(dialog).getByRole('status').textContent).toContain('1 of 1');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.fn['export:cancel']).toHaveBeenCalledWith({ exportId: req.exportId });
    await act(async () =>
      resolve({
        exportId: req.exportId!,
        folder: '/Users/ada/Exports',
        canceled: false,
        files: [
          {
            runId: 'run_1',
            index: 0,
            path: '/Users/ada/Exports/2026-12-03_cafe_seed-42.jpg',
            width: 896,
            height: 896,
            format: 'jpg',
            warnings: ['This photo holds only 896 × 896 … not enlarged.'],
          },
        ],
      }),
    );
    const done = await within(dialog).findByTestId('export-done');
    expect(done.textContent).toContain('2026-12-03_cafe_seed-42.jpg');
    expect(done.textContent).toContain('not enlarged');
  });

  it('places the frame on the face main found and says so; without a face, centred, and says that', async () => {
    const { user, fake, dialog } = await open();
    let answer!: (v: Res<'export:face'>) => void;
    fake.handle('export:face', () => new Promise((r) => (answer = (v) => r(ok(v)))));
    await user.selectOptions(within(dialog).getByLabelText('Size'), 'linkedin-banner');
    const note = within(dialog).getByTestId('export-crop-note');
    expect(note.textContent).toBe('Looking for the face… Drag to move it.');
    expect(fake.fn['export:face']).toHaveBeenCalledWith({ runId: 'run_1', index: 0 });
    // a face low in the portrait: the banner (a quarter of the width tall) is centred on it
    await act(async () => answer({ face: { left: 0.4, top: 0.7, width: 0.2, height: 0.1, score: 0.98 } }));
    expect(note.textContent).toBe('Centred on the face. Drag to move it.');
    const frame = within(dialog).getByTestId('export-crop');
    const bannerH = 224 / 1152;
    expect(parseFloat(frame.style.top)).toBeCloseTo((0.75 - bannerH / 2) * 100, 3);
    // another size with a crop: the same face, asked once
    await user.selectOptions(within(dialog).getByLabelText('Size'), 'square');
    expect(note.textContent).toBe('Centred on the face. Drag to move it.');
    expect(fake.fn['export:face']).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(within(dialog).getByTestId('export-crop'), { key: 'ArrowUp' });
    expect(note.textContent).toBe('Your crop.');
  });

  it('says the frame is centred when no face was found', async () => {
    const { user, fake, dialog } = await open();
    fake.handle('export:face', () => ok({ face: null }));
    await user.selectOptions(within(dialog).getByLabelText('Size'), 'hero');
    await waitFor(() =>
      expect(within(dialog).getByTestId('export-crop-note').textContent).toBe(
        'Centred: no face was found. Drag to move it.',
      ),
    );
  });

  it('after the export, Show in folder asks main to select the first file written', async () => {
    const { user, fake, dialog } = await open();
    const file = '/Users/ada/Exports/2026-12-03_cafe_seed-42.jpg';
    fake.handle('export:photos', (req: Req<'export:photos'>) =>
      ok({
        exportId: req.exportId!,
        folder: '/Users/ada/Exports',
        canceled: false,
        files: [
          { runId: 'run_1', index: 0, path: file, width: 896, height: 1152, format: 'jpg', warnings: [] },
          {
            runId: 'run_1',
            index: 1,
            path: file.replace('.jpg', '-2.jpg'),
            width: 896,
            height: 1152,
            format: 'jpg',
            warnings: [],
          },
        ],
      }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Export photo' }));
    await within(dialog).findByTestId('export-done');
    await user.click(within(dialog).getByRole('button', { name: /^Show in (Finder|Explorer|folder)$/ }));
    expect(fake.fn['export:reveal']).toHaveBeenCalledWith({ path: file });
    fake.handle(
      'export:reveal',
      () => ({ ok: false, error: { code: 'not_found', message: 'The file is no longer there.' } }) as never,
    );
    await user.click(within(dialog).getByRole('button', { name: /^Show in (Finder|Explorer|folder)$/ }));
    expect(await within(dialog).findByText('Could not show the file. The file is no longer there.')).toBeTruthy();
  });

  it('without a remembered folder main asks; closing its dialog exports nothing and keeps the choices', async () => {
    const { user, fake, dialog } = await open(null);
    fake.handle('export:photos', (req: Req<'export:photos'>) =>
      ok({ exportId: req.exportId!, folder: null, files: [], canceled: true }),
    );
    await user.click(within(dialog).getByRole('radio', { name: 'PNG' }));
    await user.click(within(dialog).getByRole('button', { name: 'Choose folder and export…' }));
    await waitFor(() => expect(fake.fn['export:photos']).toHaveBeenCalledTimes(1));
    expect('folder' in (fake.fn['export:photos'].mock.calls[0]![0] as object)).toBe(false);
    expect(within(dialog).getByRole('radio', { name: 'PNG' }).getAttribute('aria-checked')).toBe('true');
    expect(within(dialog).queryByTestId('export-done')).toBeNull();
  });

  it('says what main refused in words', async () => {
    const { user, fake, dialog } = await open();
    fake.handle(
      'export:photos',
      () =>
        ({
          ok: false,
          error: { code: 'disk', message: 'The disk is full: free some space and export again.' },
        }) as never,
    );
    await user.click(within(dialog).getByRole('button', { name: 'Export photo' }));
    expect(await within(dialog).findByText('The disk is full: free some space and export again.')).toBeTruthy();
  });
});
