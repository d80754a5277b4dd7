/**
 * Making photos: start, cancel, list, retry and dismiss jobs (channels jobs:*). A job's photo is
 * a selfie of the shelf or a photo of the library, named by its asset id.
 */
import path from 'node:path';
import { StudioError } from '../../shared/errors';
import type { HandlerContext, HandlersOf } from './context';

export function jobHandlers({
  settings,
  prompts,
  current,
}: Pick<HandlerContext, 'settings' | 'prompts' | 'current'>): HandlersOf<'jobs'> {
  return {
    'jobs:start': async (req) => {
      await current.lock.acquire();
      let image: { name: string; path: string; assetId: string } | undefined;
      if (req.image) {
        // A selfie starts from the file as imported (best quality); a result from its saved file.
        const p =
          (await current.shelf.originalFor(req.image.assetId)) ?? current.library.resolveAsset(req.image.assetId);
        if (!p) throw new StudioError('invalid_input', 'That photo is not in your library.');
        image = { name: path.basename(p), path: p, assetId: req.image.assetId };
      }
      if (typeof req.input.prompt === 'string') prompts.remember(req.input.prompt);
      return current.engine.start({
        modelRef: req.modelRef ?? settings.get().defaultModel,
        input: req.input,
        ...(image ? { image } : {}),
        ...(req.mask ? { mask: req.mask } : {}),
        ...(req.keepOutside ? { keepOutside: true } : {}),
        ...(req.label ? { label: req.label } : {}),
        ...(req.repeat ? { repeat: true } : {}),
      });
    },
    'jobs:cancel': ({ jobId }) => current.engine.cancel(jobId),
    'jobs:list': () => current.engine.list(),
    'jobs:retry': ({ jobId }) => current.engine.retry(jobId),
    'jobs:dismiss': async ({ jobId }) => {
      await current.engine.dismiss(jobId);
      return null;
    },
  };
}
