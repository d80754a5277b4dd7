/**
 * The API token and the settings (channels token:*, settings:*). Changing the API address goes
 * through changeApiBase, which decides whether the kept token may follow it; choosing another
 * library folder is createAppServices' switchLibrary.
 */
import { StudioError } from '../../shared/errors';
import { normalizeApiBase, sameApiOrigin } from '../../shared/api-base';
import type { HandlerContext, HandlersOf } from './context';

export function tokenSettingsHandlers({
  o,
  logger,
  settings,
  vault,
  accountAt,
  switchLibrary,
}: Pick<HandlerContext, 'o' | 'logger' | 'settings' | 'vault' | 'accountAt' | 'switchLibrary'>): HandlersOf<
  'token' | 'settings'
> {
  /**
   * A new API address. The kept token only goes there if the person confirms it in main (the
   * renderer cannot answer for them) and the new server accepts it; otherwise the token stays
   * with the server it belongs to and the new one asks for its own.
   */
  async function changeApiBase(raw: string): Promise<void> {
    const next = normalizeApiBase(raw);
    if (settings.apiBaseFromEnv || sameApiOrigin(next, settings.get().apiBaseUrl) || vault.isBoundTo(next)) return;
    const token = (await vault.status()).storage === 'env' ? null : await vault.kept();
    if (!token) return;
    const { host, origin } = new URL(next);
    if (!(await (o.confirmApiHost?.({ host, origin }) ?? false))) {
      throw new StudioError('canceled', `The API address was not changed, and your token was not sent to ${host}.`);
    }
    try {
      await vault.rebind(next, await accountAt(token, next));
      logger.write('info', `token re-checked and moved to ${host}`);
    } catch (e) {
      if (e instanceof StudioError && e.code === 'unauthenticated') {
        logger.write('info', `${host} did not accept the kept token; it stays with its own server`);
        return;
      }
      if (e instanceof StudioError && e.code === 'network') {
        throw new StudioError(
          'network',
          `Could not reach ${host}. Check the address (and that the server is running); the address was not changed.`,
        );
      }
      throw e;
    }
  }

  return {
    'token:status': () => vault.status(),
    'token:set': async ({ token, allowPlaintext }) => {
      const s = await vault.set(token, { allowPlaintext });
      logger.write('info', `token saved (${s.storage}) for ${s.account?.username ?? 'unknown'}`);
      return s;
    },
    'token:clear': () => vault.clear(),
    'settings:get': () => settings.view(),
    'settings:update': async (patch) => {
      if (patch.apiBaseUrl !== undefined) await changeApiBase(patch.apiBaseUrl);
      return settings.update(patch);
    },
    'settings:chooseLibrary': async () => {
      const dir = await o.chooseDirectory?.(settings.libraryDir());
      if (!dir) return settings.view();
      return switchLibrary(dir);
    },
    'settings:useDefaultLibrary': () => switchLibrary(null),
  };
}
