/**
 * Trainings (channels training:*): the trainers and their prices, start, list, cancel, retry.
 */
import type { QualityPreset } from '../../shared/training/training';
import { hardwareOf } from '../services/training/prices';
import { photosForTraining } from '../services/training/set-for-training';
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
          speed: table.trainerSpeed[t.ref] ?? null,
          priceFile: current.training.priceFile,
        };
      });
    },
    'training:start': async (req) => {
      await current.lock.acquire();
      // main reads the set's included photos itself: the window never names a file
      const photos = await photosForTraining(current.trainingSets, req.setId);
      return current.training.start({
        photos,
        chosen: true,
        name: req.name,
        triggerWord: req.triggerWord,
        ...(req.trainer ? { trainer: req.trainer } : {}),
        ...(req.preset ? { preset: req.preset as QualityPreset } : {}),
        ...(req.input ? { input: req.input } : {}),
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
