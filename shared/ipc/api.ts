/**
 * The shape of `window.studio`, derived from the contract: `studio.<domain>.<verb>(req)` for each
 * invoke channel, `studio.<domain>.on<Event>(cb) → unsubscribe` for each event.
 * Calls resolve to a Result envelope (errors cross the bridge as data, with their code).
 */
import type { EventChannel, FILE_CHANNELS, InvokeChannel } from './channels';
import type { EventPayload, Req, Res, Result } from './contract';

type Domain<C extends string> = C extends `${infer D}:${string}` ? D : never;
type Verb<C extends string> = C extends `${string}:${infer V}` ? V : never;

type FileChannel = (typeof FILE_CHANNELS)[number];

type InvokeFn<C extends InvokeChannel> = C extends FileChannel
  ? (req: { files: File[] }) => Promise<Result<Res<C>>>
  : Req<C> extends undefined
    ? () => Promise<Result<Res<C>>>
    : (req: Req<C>) => Promise<Result<Res<C>>>;

type DomainInvokes<D extends string> = {
  [C in InvokeChannel as Domain<C> extends D ? Verb<C> : never]: InvokeFn<C>;
};
type DomainEvents<D extends string> = {
  [C in EventChannel as Domain<C> extends D ? `on${Capitalize<Verb<C>>}` : never]: (
    cb: (payload: EventPayload<C>) => void,
  ) => () => void;
};

type Domains = Domain<InvokeChannel> | Domain<EventChannel>;

/** A file dropped, picked or pasted: its bytes, or only its size when it is too large to import. */
export interface FileTransfer {
  name: string;
  bytes?: Uint8Array;
  size?: number;
}

export type StudioApi = { [D in Domains]: DomainInvokes<D> & DomainEvents<D> } & {
  /** base URL for images main serves (`studio-asset://asset/` in the app) */
  readonly assetBase: string;
  readonly platform: 'darwin' | 'win32' | 'linux' | string;
};
