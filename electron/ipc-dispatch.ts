/**
 * The validation half of the IPC layer, free of Electron so the Playwright bridge and unit tests
 * run the very same code: parse the request with the contract, run the handler, parse the
 * response (stripping anything the contract does not name), and turn failures into
 * `{code, message}`. Sender checks live in ./ipc.ts because they need Electron's event.
 */
import { z } from 'zod';
import { INVOKE_CHANNELS, type InvokeChannel } from '../shared/ipc/channels';
import { invokeContract, type Req, type Res, type Result } from '../shared/ipc/contract';
import { StudioError, toErrorShape } from '../shared/errors';

/** Who asked: the id of the sending webContents (ipc.ts), for the few handlers that act on that window (a drag). */
export interface CallContext {
  senderId?: number;
}

export type Handler<C extends InvokeChannel> = (
  req: z.output<(typeof invokeContract)[C]['request']>,
  ctx: CallContext,
) => Promise<Res<C>> | Res<C>;
export type Handlers = { [C in InvokeChannel]: Handler<C> };

export function isInvokeChannel(ch: unknown): ch is InvokeChannel {
  return typeof ch === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(ch);
}

export interface DispatchHooks {
  /** called with internal errors (never with the request, which may hold a token) */
  onInternalError?: (channel: string, err: unknown) => void;
}

export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  arg: unknown,
  hooks: DispatchHooks = {},
  ctx: CallContext = {},
): Promise<Result<unknown>> {
  if (!isInvokeChannel(channel)) return { ok: false, error: { code: 'forbidden', message: 'Unknown request.' } };
  const spec = invokeContract[channel];
  const parsed = spec.request.safeParse(arg);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'request', message: i.message }));
    return { ok: false, error: { code: 'invalid_input', message: `The request to ${channel} was not valid.`, fields } };
  }
  try {
    const handler = handlers[channel] as (req: unknown, ctx: CallContext) => unknown;
    const value = await handler(parsed.data, ctx);
    const out = spec.response.safeParse(value ?? null);
    if (!out.success)
      throw new Error(
        `response of ${channel} broke the contract: ${out.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return { ok: true, value: out.data };
  } catch (e) {
    if (!(e instanceof StudioError)) hooks.onInternalError?.(channel, e);
    return { ok: false, error: toErrorShape(e) };
  }
}

export type { Req, Res };
