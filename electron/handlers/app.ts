/**
 * The app itself (its version, links out, the logs folder), the model's inputs for the forms and
 * whether Replicate can be reached: channels app:*, models:get, network:status.
 */
import { StudioError } from '../../shared/errors';
import type { ModelInfoT } from '../../shared/ipc/contract';
import { DEFAULT_MODEL } from '../../shared/model/rules';
import { isAllowedExternal } from '../external-links';
import type { HandlerContext, HandlersOf } from './context';

export function appHandlers({
  o,
  logger,
  settings,
  gateway,
  registry,
}: Pick<HandlerContext, 'o' | 'logger' | 'settings' | 'gateway' | 'registry'>): HandlersOf<
  'app' | 'models' | 'network'
> {
  const modelInfo = async (ref: string | undefined, refresh?: boolean): Promise<ModelInfoT> => {
    const m = await registry.resolve(ref ?? settings.get().defaultModel ?? DEFAULT_MODEL, { refresh });
    const out: ModelInfoT = {
      ref: m.ref,
      owner: m.owner,
      name: m.name,
      versionId: m.versionId,
      fields: m.schema.fields,
      source: m.source,
    };
    if (m.description) out.description = m.description;
    if (m.warning) out.warning = m.warning;
    return out;
  };

  return {
    'app:info': () => ({
      version: o.appVersion ?? '0.0.0',
      platform: o.platform ?? process.platform,
      userDataDir: o.userDataDir,
      logsDir: logger.dir,
    }),
    'app:openExternal': async ({ url }) => {
      if (!isAllowedExternal(url)) throw new StudioError('forbidden', 'The app only opens links to replicate.com.');
      await o.openExternal?.(url);
      return null;
    },
    'app:showLogs': async () => {
      await o.openPath?.(logger.dir);
      return null;
    },
    'models:get': ({ ref, refresh }) => modelInfo(ref, refresh),
    'network:status': () => gateway.connectivity.current,
  };
}
