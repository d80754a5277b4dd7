/**
 * The Replicate endpoints the app uses, by name: the account, models and versions, predictions
 * (create, get, list, cancel) and the Files API. Each is one `call` of ReplicateHttp
 * (http-client.ts), which owns the retry policy, the token's origin rule and downloads; what a
 * failure says is http-errors.ts. Everything they export is exported here too, as before.
 */
import { StudioError } from '../../../shared/errors';
import { ReplicateHttp, type CallOptions } from './http-client';
import type { FileObject, ModelObject, ModelVersion, Prediction, PredictionPage } from './types';

export { ReplicateHttp, defaultSleep, type CallOptions, type FetchFn, type GatewayOptions } from './http-client';
export {
  OutcomeUnknownError,
  httpError,
  httpStatusOf,
  networkError,
  neverSent,
  retryAfterMs,
  scrubSecret,
  unreachableError,
} from './http-errors';

export class ReplicateGateway extends ReplicateHttp {
  account(call: CallOptions = {}) {
    return this.call<{ type?: string; username: string; name?: string }>(
      'GET',
      '/account',
      'your account',
      { safeToRepeat: true },
      call,
    );
  }

  getModel(owner: string, name: string, call: CallOptions = {}) {
    return this.call<ModelObject>(
      'GET',
      `/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
      `the model ${owner}/${name}`,
      { safeToRepeat: true },
      call,
    );
  }

  getVersion(owner: string, name: string, version: string, call: CallOptions = {}) {
    return this.call<ModelVersion>(
      'GET',
      `/models/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`,
      `the model ${owner}/${name}`,
      { safeToRepeat: true },
      call,
    );
  }

  /** Never repeated on an unknown outcome: the caller must reconcile (see JobEngine). */
  createPrediction(body: { version: string; input: Record<string, unknown> }, what: string, call: CallOptions = {}) {
    return this.call<Prediction>('POST', '/predictions', what, { json: body, safeToRepeat: false }, call);
  }

  getPrediction(id: string, call: CallOptions = {}) {
    return this.call<Prediction>(
      'GET',
      `/predictions/${encodeURIComponent(id)}`,
      'this prediction',
      { safeToRepeat: true },
      call,
    );
  }

  listPredictions(params: { createdAfter?: string; cursorUrl?: string }, call: CallOptions = {}) {
    const path =
      params.cursorUrl ??
      `/predictions${params.createdAfter ? `?created_after=${encodeURIComponent(params.createdAfter)}` : ''}`;
    return this.call<PredictionPage>('GET', path, 'your predictions', { safeToRepeat: true }, call);
  }

  cancelPrediction(id: string, call: CallOptions = {}) {
    return this.call<Prediction>(
      'POST',
      `/predictions/${encodeURIComponent(id)}/cancel`,
      'this prediction',
      { safeToRepeat: true },
      call,
    );
  }

  /** Upload through the Files API. Not repeated blindly: a duplicate would leave a copy of a selfie on Replicate. */
  uploadFile(
    bytes: Uint8Array,
    meta: { filename: string; contentType: string; metadata?: Record<string, unknown> },
    call: CallOptions = {},
  ) {
    const form = new FormData();
    form.append('content', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: meta.contentType }), meta.filename);
    form.append('filename', meta.filename);
    form.append('metadata', new Blob([JSON.stringify(meta.metadata ?? {})], { type: 'application/json' }));
    return this.call<FileObject>('POST', '/files', 'the file upload', { body: form, safeToRepeat: false }, call);
  }

  listFiles(cursorUrl?: string, call: CallOptions = {}) {
    return this.call<{ next: string | null; results: FileObject[] }>(
      'GET',
      cursorUrl ?? '/files',
      'your files',
      { safeToRepeat: true },
      call,
    );
  }

  async deleteFile(id: string, call: CallOptions = {}): Promise<void> {
    try {
      await this.call<null>(
        'DELETE',
        `/files/${encodeURIComponent(id)}`,
        'the uploaded file',
        { safeToRepeat: true },
        call,
      );
    } catch (e) {
      if (e instanceof StudioError && e.code === 'not_found') return; // already gone: that is what we wanted
      throw e;
    }
  }
}
