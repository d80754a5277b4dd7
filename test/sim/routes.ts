/**
 * The routing table: which part answers a method and path on each origin, under the endpoint name
 * that fault rules match (faults.ts `Endpoint`). The paths are those of Replicate's OpenAPI
 * (`/v1/predictions`, `/v1/models/{owner}/{name}/versions/{id}`, `/v1/files/{id}/download`, …;
 * trainings.ts routes its own) and replicate.delivery's output URLs on the delivery origin.
 */
import type { Endpoint } from './faults';
import type { FilesApi } from './files-api';
import type { ModelsApi } from './models-api';
import { DELIVERY_PATH, type OutputFiles } from './outputs';
import type { PredictionsApi } from './predictions-api';
import { JSON_BODY_LIMIT, NOT_FOUND, json, readBody, type RequestContext, type SimResponse } from './sim-http';
import type { TrainingsSim } from './trainings';

/** The parts of the simulator that answer requests. */
export interface SimApis {
  outputs: OutputFiles;
  modelsApi: ModelsApi;
  predictionsApi: PredictionsApi;
  filesApi: FilesApi;
  trainingsSim: TrainingsSim;
}

export function routeRequest(
  apis: SimApis,
  origin: 'api' | 'delivery',
  method: string,
  path: string,
): { endpoint: Endpoint; run: (ctx: RequestContext) => Promise<SimResponse> } | null {
  let m: RegExpExecArray | null;
  if (origin === 'delivery') {
    // The output host serves files only, to anyone holding the URL, and never needs a token.
    if ((m = DELIVERY_PATH.exec(path)) && (method === 'GET' || method === 'HEAD')) {
      const [, token, index, ext] = m;
      return { endpoint: 'output', run: () => apis.outputs.getOutput(token!, Number(index), ext!) };
    }
    return null;
  }
  const seg = '([^/]+)';
  if (path === '/v1/account' && method === 'GET')
    return { endpoint: 'account', run: (c) => apis.modelsApi.getAccount(c) };
  if ((m = new RegExp(`^/v1/models/${seg}/${seg}$`).exec(path)) && method === 'GET') {
    const [, owner, name] = m;
    return { endpoint: 'models.get', run: (c) => apis.modelsApi.getModel(c, owner!, name!) };
  }
  if ((m = new RegExp(`^/v1/models/${seg}/${seg}/versions(?:/${seg})?$`).exec(path)) && method === 'GET') {
    const [, owner, name, id] = m;
    return { endpoint: 'models.versions', run: (c) => apis.modelsApi.getVersions(c, owner!, name!, id) };
  }
  if (new RegExp(`^/v1/models/${seg}/${seg}/predictions$`).test(path) && method === 'POST') {
    return {
      endpoint: 'predictions.create',
      run: async (c) => (await readBody(c.req, JSON_BODY_LIMIT), json(404, NOT_FOUND)),
    };
  }
  if (path === '/v1/predictions' && method === 'POST')
    return { endpoint: 'predictions.create', run: (c) => apis.predictionsApi.createPrediction(c) };
  if (path === '/v1/predictions' && method === 'GET')
    return { endpoint: 'predictions.list', run: (c) => apis.predictionsApi.listPredictions(c) };
  if ((m = new RegExp(`^/v1/predictions/${seg}$`).exec(path)) && method === 'GET') {
    const id = m[1]!;
    return { endpoint: 'predictions.get', run: (c) => apis.predictionsApi.getPrediction(c, id) };
  }
  if ((m = new RegExp(`^/v1/predictions/${seg}/cancel$`).exec(path)) && method === 'POST') {
    const id = m[1]!;
    return { endpoint: 'predictions.cancel', run: (c) => apis.predictionsApi.cancelPrediction(c, id) };
  }
  if (path === '/v1/files' && method === 'POST')
    return { endpoint: 'files.create', run: (c) => apis.filesApi.createFile(c) };
  if (path === '/v1/files' && method === 'GET')
    return { endpoint: 'files.list', run: (c) => apis.filesApi.listFiles(c) };
  if ((m = new RegExp(`^/v1/files/${seg}(/download)?$`).exec(path)) && method === 'GET') {
    const [, id, download] = m;
    return { endpoint: 'files.get', run: (c) => apis.filesApi.getFile(c, id!, Boolean(download)) };
  }
  if ((m = new RegExp(`^/v1/files/${seg}$`).exec(path)) && method === 'DELETE') {
    const id = m[1]!;
    return { endpoint: 'files.delete', run: (c) => apis.filesApi.deleteFile(c, id) };
  }
  return apis.trainingsSim.route(method, path);
}
