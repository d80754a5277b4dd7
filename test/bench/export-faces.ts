/**
 * Face-centred export crop benchmark: how long the default crop of a square / banner / hero export
 * waits for the face, on real photos of people (test/fixtures/faces, from @vladmandic/face-api's
 * demo photos) laid out as the model delivers them: 1344 × 768 (16:9, the face off to the left,
 * the rest of the width its own background) and 896 × 1152 (4:5). The detector runs in the training
 * check's worker threads (analysis-pool.ts); the first photo also starts a worker and loads the
 * model, reported on its own. Also how many of the faces are found. Wired into `npm run bench`;
 * run alone with `npx tsx test/bench/export-faces.ts`.
 */
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { DetectorFaceLocator } from '../../electron/services/export/detector-face-locator';
import { AnalysisPool } from '../../electron/services/training/set-check/analysis-pool';
import { tsxWorker } from '../../electron/tsx-worker';
import { PORTRAITS, portrait } from '../fixtures/faces/real-photos';
import { median, round, type Row } from './table';

async function layout(i: number, W: number, H: number): Promise<Uint8Array> {
  const w = Math.min(W, Math.round((600 * H) / 780));
  const person = await (await portrait(i)).resize(w, H).png().toBuffer();
  const img = w < W ? sharp(person).extend({ right: W - w, extendWith: 'copy' }) : sharp(person);
  return new Uint8Array(await img.webp({ quality: 90 }).toBuffer());
}

export async function benchExportFaces(): Promise<Row[]> {
  const pool = new AnalysisPool(
    tsxWorker(new URL('../../electron/services/training/set-check/analysis-worker.ts', import.meta.url)),
    { workers: 1, timeoutMs: 180_000 },
  );
  const locator = new DetectorFaceLocator(() => pool);
  const rows: Row[] = [];
  try {
    const shapes = [
      { W: 1344, H: 768, label: '1344×768 (16:9)' },
      { W: 896, H: 1152, label: '896×1152 (4:5)' },
    ];
    const photos = await Promise.all(
      shapes.map(async (s) => ({
        ...s,
        bytes: await Promise.all(Array.from({ length: PORTRAITS }, (_, i) => layout(i, s.W, s.H))),
      })),
    );
    let t = performance.now();
    await locator.locate({ bytes: photos[0]!.bytes[0]!, width: photos[0]!.W, height: photos[0]!.H });
    rows.push({
      name: 'export faces: the first photo of a session (starts the worker, loads the face model, locates)',
      value: round(performance.now() - t, 0),
      unit: 'ms',
      target: 'info',
      pass: true,
    });
    for (const s of photos) {
      const ms: number[] = [];
      let found = 0;
      for (const bytes of s.bytes) {
        t = performance.now();
        const faces = await locator.locate({ bytes, width: s.W, height: s.H });
        ms.push(performance.now() - t);
        if (faces.length) found++;
      }
      rows.push({
        name: `export faces: locate the face of a ${s.label} photo, median of ${PORTRAITS} real photos (model loaded)`,
        value: round(median(ms), 0),
        unit: 'ms',
        target: 'info',
        pass: true,
      });
      rows.push({
        name: `export faces: ${s.label} photos whose face was found (the crop is centred on it)`,
        value: found,
        unit: `of ${PORTRAITS}`,
        target: `${PORTRAITS} of ${PORTRAITS}`,
        pass: found === PORTRAITS,
      });
    }
  } finally {
    await pool.close();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await benchExportFaces())
    console.log(`${r.name}: ${r.value} ${r.unit} (${r.target}) ${r.pass ? '✓' : '✗'}`);
}
