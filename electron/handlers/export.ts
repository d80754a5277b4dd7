/**
 * Photos out of the library (channels export:*): export to a folder the person picked in the
 * dialog, copy, drag, restore settings from a file, open a run's prediction on replicate.com.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../shared/errors';
import { DEFAULT_MODEL } from '../../shared/model/rules';
import { isAllowedExternal } from '../external-links';
import { MAX_RESTORE_BYTES, restoreSettings } from '../services/export/restore-settings';
import { readRunMask } from '../services/export/remix-mask';
import type { HandlerContext, HandlersOf } from './context';

export function exportHandlers({
  o,
  settings,
  registry,
  exporter,
  current,
}: Pick<HandlerContext, 'o' | 'settings' | 'registry' | 'exporter' | 'current'>): HandlersOf<'export'> {
  return {
    'export:photos': async (req) => {
      const remembered = settings.get().exportDir;
      let folder: string | null;
      if (req.folder !== undefined) {
        // A path from the renderer is only taken when it is the folder the person last picked in the dialog.
        if (!remembered || path.resolve(req.folder) !== path.resolve(remembered)) {
          throw new StudioError(
            'forbidden',
            'Choose the export folder in the dialog: the app only exports to a folder you picked.',
          );
        }
        folder = remembered;
      } else {
        folder =
          (await o.chooseDirectory?.(remembered ?? path.dirname(settings.libraryDir()), {
            title: 'Export photos to',
          })) ?? null;
        if (!folder)
          return { exportId: req.exportId ?? randomBytes(6).toString('hex'), folder: null, files: [], canceled: true };
        settings.setExportDir(folder);
      }
      return exporter.export({ ...req, folder });
    },
    'export:cancel': (req) => {
      exporter.cancel(req?.exportId);
      return null;
    },
    'export:readSettingsFromFile': async ({ files }) => {
      let bytes: Uint8Array;
      let name: string;
      const f = files[0];
      if (f) {
        if (!f.bytes)
          throw new StudioError(
            'file_too_large',
            `${f.name} is ${Math.round((f.size ?? 0) / 1024 / 1024)} MB; settings are read from images up to ${MAX_RESTORE_BYTES / 1024 / 1024} MB.`,
          );
        bytes = f.bytes;
        name = f.name;
      } else {
        const p = await o.chooseImageFile?.({ title: 'Restore settings from a photo' });
        if (!p) return { input: null, notes: [], source: null };
        name = path.basename(p);
        try {
          const st = await fs.stat(p);
          if (st.size > MAX_RESTORE_BYTES)
            throw new StudioError(
              'file_too_large',
              `${name} is ${Math.round(st.size / 1024 / 1024)} MB; settings are read from images up to ${MAX_RESTORE_BYTES / 1024 / 1024} MB.`,
            );
          bytes = new Uint8Array(await fs.readFile(p));
        } catch (e) {
          if (e instanceof StudioError) throw e;
          throw new StudioError(
            'not_found',
            `${name} could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
            { cause: e },
          );
        }
      }
      const model = await registry.resolve(settings.get().defaultModel ?? DEFAULT_MODEL);
      return { ...(await restoreSettings(bytes, model.schema)), name };
    },
    'export:face': async ({ runId, index }) => ({ face: await exporter.face(runId, index) }),
    // only a file this window's exports wrote (export/recent-exports.ts), never a path of the renderer's choosing
    'export:reveal': async ({ path: p }) => {
      o.showItemInFolder?.(await exporter.recent.revealable(p));
      return null;
    },
    'export:remixMask': ({ runId }) => readRunMask(current.library, runId),
    'export:copyToClipboard': async ({ runId, index }) => {
      if (!o.copyImageToClipboard)
        throw new StudioError('invalid_input', 'Copying photos is not available in this window.');
      // PNG: the clipboard's nativeImage reads no WebP, and a copy carries no settings
      const r = await exporter.render(runId, index, {
        format: 'png',
        quality: 100,
        size: 'original',
        stripMetadata: true,
      });
      await o.copyImageToClipboard(r.bytes);
      return null;
    },
    'export:startDrag': async ({ runId, index }, ctx) => {
      const item = await exporter.dragItem(runId, index);
      o.startDrag?.(ctx.senderId, item);
      return null;
    },
    'export:openPrediction': async ({ runId }) => {
      const run = await current.library.readRun(runId);
      const id = run?.predictionId;
      if (!run)
        throw new StudioError('not_found', 'This run is no longer in the library (its folder was moved or deleted).');
      if (!id || !/^[a-z0-9]{1,64}$/.test(id))
        throw new StudioError(
          'not_found',
          'This run has no Replicate prediction to open (it was not made on Replicate, or its run.json is damaged).',
        );
      const url = `https://replicate.com/p/${id}`;
      if (!isAllowedExternal(url)) throw new StudioError('forbidden', 'The app only opens links to replicate.com.');
      await o.openExternal?.(url);
      return null;
    },
  };
}
