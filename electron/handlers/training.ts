/**
 * Trainings (channels training:*): the trainers and their prices, start, list, cancel, retry.
 */
import { StudioError } from '../../shared/errors';
import { hardwareOf } from '../services/training/prices';
import type { HandlerContext, HandlersOf } from './context';

export function trainingHandlers({ current }: Pick<HandlerContext, 'current'>): HandlersOf<'training'> {
  return {
    'training:trainers': async () => {
      const table = await current.training.priceTable();
      return (await current.training.trainers.list()).map((t) => {
        const hardware = hardwareOf(table, t.ref);
        return {
          ref: t.ref,
          versionId: t.versionId,
          ...(t.description ? { description: t.description } : {}),
          fields: t.schema.fields,
          hardware,
          pricePerSecond: table.perSecond[hardware] ?? null,
          priceAsOf: table.asOf,
        };
      });
    },
    'training:start': async (req) => {
      await current.lock.acquire();
      const photos: Array<{ file: string; caption?: string }> = [];
      for (const p of req.photos) {
        const file = (await current.shelf.originalFor(p.assetId)) ?? current.library.resolveAsset(p.assetId);
        if (!file)
          throw new StudioError(
            'invalid_input',
            'A photo picked for the training is no longer in your library. Pick the photos again.',
            { fields: [{ field: 'photos', message: 'A photo is missing.' }] },
          );
        photos.push(p.caption ? { file, caption: p.caption } : { file });
      }
      return current.training.start({
        photos,
        name: req.name,
        triggerWord: req.triggerWord,
        ...(req.trainer ? { trainer: req.trainer } : {}),
        ...(req.preset ? { preset: req.preset as 'quick' | 'balanced' | 'best' } : {}),
        ...(req.input ? { input: req.input } : {}),
        ...(req.includeFlagged ? { includeFlagged: true } : {}),
      });
    },
    'training:list': async () => ({
      trainings: await current.training.list(),
      models: await current.training.trainedModels(),
    }),
    'training:cancel': ({ id }) => current.training.cancel(id),
    'training:retry': async ({ id }) => {
      await current.lock.acquire();
      return current.training.retry(id);
    },
  };
}
