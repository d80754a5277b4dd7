/**
 * The selfie shelf: import, list, remove (channels selfies:*).
 */
import type { HandlerContext, HandlersOf } from './context';

export function selfieHandlers({
  o,
  logger,
  current,
}: Pick<HandlerContext, 'o' | 'logger' | 'current'>): HandlersOf<'selfies'> {
  return {
    'selfies:import': async ({ files }) => {
      await current.library.ensure();
      const r = await current.shelf.import(files);
      for (const e of r.errors) logger.write('warn', `import refused: ${e.code}`);
      return r;
    },
    'selfies:list': () => current.shelf.list(),
    'selfies:remove': async ({ id }) => {
      await current.shelf.remove(id, o.trashItem);
      return null;
    },
  };
}
