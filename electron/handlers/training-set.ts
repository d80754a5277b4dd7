/**
 * The photos gathered for a training and their check (channels trainingset:*).
 */
import type { HandlerContext, HandlersOf } from './context';

export function trainingSetHandlers({
  logger,
  current,
}: Pick<HandlerContext, 'logger' | 'current'>): HandlersOf<'trainingset'> {
  return {
    'trainingset:list': () => current.trainingSets.get(),
    'trainingset:add': async ({ files }) => {
      await current.library.ensure();
      const r = await current.trainingSets.add(files);
      for (const e of r.errors) logger.write('warn', `training photo refused: ${e.code}`);
      return r;
    },
    'trainingset:check': () => current.trainingSets.check(),
    'trainingset:cancel': async () => {
      current.trainingSets.cancel();
      return null;
    },
    'trainingset:setIncluded': ({ id, included }) => current.trainingSets.setIncluded(id, included),
    'trainingset:setCaption': ({ id, caption }) => current.trainingSets.setCaption(id, caption),
    'trainingset:remove': ({ id }) => current.trainingSets.remove(id),
  };
}
