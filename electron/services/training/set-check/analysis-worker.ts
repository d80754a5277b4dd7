/**
 * Worker-thread entry of the training-set check: loads face-api once and answers one photo at a
 * time (analysis-pool.ts shares the photos out). Built to dist-electron/set-check-worker.js next
 * to main.js (vite.config.ts); the CLI and the bench start it from source through tsx-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { loadFaceModel, type DetectedFace, type PhotoAnalysis } from './face-analysis';
import type { RgbRaster } from './measures';

/** `analyse` (the default): every measure of the training check; `faces`: the boxes alone (an export's crop). */
export type AnalysisKind = 'analyse' | 'faces';

export interface AnalysisRequest {
  id: number;
  rgb: RgbRaster;
  kind?: AnalysisKind;
}
export type AnalysisReply =
  { id: number; analysis: PhotoAnalysis } | { id: number; faces: DetectedFace[] } | { id: number; error: string };

// TensorFlow.js prints its platform and backend notices with console.log/warn; in the CLI this
// thread shares stdout with a JSON report, so only errors may reach the console.
console.log = console.info = console.warn = console.debug = () => {};

parentPort?.on('message', async ({ id, rgb, kind }: AnalysisRequest) => {
  try {
    const model = await loadFaceModel();
    if (kind === 'faces') {
      parentPort!.postMessage({ id, faces: await model.detect(rgb) } satisfies AnalysisReply);
      return;
    }
    const analysis = await model.analyse(rgb);
    parentPort!.postMessage({ id, analysis } satisfies AnalysisReply);
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies AnalysisReply);
  }
});
