/**
 * Job engine benchmark, against the Replicate simulator in this process.
 * `benchEngine()` is wired into `npm run bench`; run alone with `npx tsx test/bench/engine.ts`.
 *
 * 1. Engine overhead: `engine.start()` → all four 1344×768 PNGs of the model card example saved,
 *    minus the simulator's own latency. The simulator runs with {bootMs: 0, stepMs: 0}, so a
 *    prediction is finished the moment it exists and the only thing it spends time on is rendering
 *    the output images (done when the first poll sees `succeeded`, as Replicate sets `output` only
 *    once the files are uploaded) plus answering HTTP. "The simulator's own latency" is what a
 *    minimal raw-fetch client waits for the same outputs: create → poll until succeeded → GET the 4
 *    files (in parallel, into memory). Rendering time is large and varies from run to run, so every
 *    run is corrected by `sim.generationMs()` (wall time spent rendering during that run) and the
 *    figure is the median over runs of (engine − render) − (raw client − render), runs interleaved.
 *    The engine is configured like the raw client (same 10 ms poll interval instead of the app's
 *    own schedule, which would dominate and is measured on realistic timing in completion.ts): what is left is
 *    the engine's own work — validation, prepare, journal writes with fsync, parallel downloads with
 *    length check and decode check, metadata embedding, atomic writes, run.json and index.json.
 * 2. The same job through npm `replicate@1.4.0` (`replicate.run` polling at the same interval, then
 *    the 4 files downloaded one after the other with fetch and written with fs.writeFile): the peer,
 *    and the ratio of the engine's total time to it.
 * 3. Bytes uploaded for a 12 MP JPEG selfie used for img2img (first use, then the same selfie again).
 */
import { CARD_EXAMPLE } from '../fixtures/model-card';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import Replicate from 'replicate';
import { startSimulator, type Simulator } from '../sim/server';
import { ReplicateGateway } from '../../electron/services/replicate/gateway';
import { ModelRegistry } from '../../electron/services/replicate/model-registry';
import { JobEngine } from '../../electron/services/jobs/job-engine';
import { UploadCache } from '../../electron/services/jobs/upload-cache';
import { Library } from '../../electron/services/library/library';
import { defaultImageOps } from '../../electron/app-services';
import { writeJsonAtomic } from '../../electron/services/fs/atomic';
import { median, round, type Row } from './table';

const MODEL = 'sandrasocial/sseelfie-ai';
/** Poll interval of every client here (engine, raw client, replicate.run). */
const POLL_MS = 10;
const RUNS = 20;
const WARMUP = 2;

interface Rig {
  engine: JobEngine;
  library: Library;
}

/** Wired like app-services (and the unit-test harness), with the poll interval of the other clients. */
function rig(s: Simulator, root: string): Rig {
  const gateway = new ReplicateGateway({ fetch, baseUrl: () => s.baseUrl, token: async () => s.token });
  const library = new Library(path.join(root, 'library'));
  const uploads = new UploadCache(gateway, UploadCache.fileIn(library.appDir), () => 60 * 60_000);
  const engine = new JobEngine({
    gateway,
    registry: new ModelRegistry(gateway, path.join(root, 'models.json')),
    library,
    uploads,
    images: defaultImageOps(),
    rescueDir: path.join(root, 'rescued'),
    pollMinMs: POLL_MS,
    pollMaxMs: POLL_MS,
  });
  return { engine, library };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface PredictionLike {
  status: string;
  output: string[] | null;
  error: string | null;
  urls: { get: string };
}

/** The floor: the least any client must do to hold the 4 outputs. */
async function rawClientRun(s: Simulator, version: string): Promise<void> {
  const auth = { Authorization: `Bearer ${s.token}` };
  const res = await fetch(`${s.baseUrl}/predictions`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ version, input: CARD_EXAMPLE }),
  });
  let p = (await res.json()) as PredictionLike;
  for (;;) {
    p = (await (await fetch(p.urls.get, { headers: auth })).json()) as PredictionLike;
    if (['succeeded', 'failed', 'canceled', 'aborted'].includes(p.status)) break;
    await sleep(POLL_MS);
  }
  if (p.status !== 'succeeded' || p.output?.length !== 4)
    throw new Error(`raw client: prediction ${p.status}: ${p.error ?? 'no output'}`);
  await Promise.all(p.output.map(async (u) => (await fetch(u)).arrayBuffer()));
}

async function engineRun(r: Rig): Promise<void> {
  const job = await r.engine.start({ modelRef: MODEL, input: CARD_EXAMPLE, repeat: true });
  const done = await r.engine.wait(job.id);
  if (done.state !== 'saved' || done.images.length !== 4)
    throw new Error(`engine: job ended ${done.state}: ${done.error?.message ?? `${done.images.length} images`}`);
}

async function peerRun(replicate: Replicate, version: string, dir: string, n: number): Promise<void> {
  const output = (await replicate.run(`${MODEL}:${version}`, {
    input: CARD_EXAMPLE,
    wait: { mode: 'poll', interval: POLL_MS },
  })) as unknown;
  if (!Array.isArray(output) || output.length !== 4)
    throw new Error(`replicate.run: unexpected output ${JSON.stringify(output)}`);
  for (const [i, url] of (output as string[]).entries()) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`replicate.run: download ${res.status}`);
    await fs.writeFile(path.join(dir, `${n}-${i + 1}.png`), Buffer.from(await res.arrayBuffer()));
  }
}

/** A 12 MP phone-photo-like JPEG: smooth shapes, a sky-to-ground gradient and sensor grain, q90. */
async function selfieJpeg(): Promise<Buffer> {
  const W = 4032;
  const H = 3024;
  const blobs = await sharp({
    create: {
      width: W / 16,
      height: H / 16,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 45 },
    },
  })
    .resize(W, H, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const grain = await sharp({
    create: { width: W, height: H, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 7 } },
  })
    .raw()
    .toBuffer();
  for (let y = 0, i = 0; y < H; y++) {
    const g = 90 - (180 * y) / H; // brighter top, darker bottom
    for (let x = 0; x < W * 3; x++, i++) {
      const v = blobs[i]! * 0.7 + 38 + g + grain[i]! - 128;
      blobs[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return sharp(blobs, { raw: { width: W, height: H, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

export async function benchEngine(): Promise<Row[]> {
  const rows: Row[] = [];
  const root = mkdtempSync(path.join(os.tmpdir(), 'sseelfie-bench-engine-'));
  const s = await startSimulator({ seed: 11, timing: { bootMs: 0, stepMs: 0 } });
  try {
    const model = (await (
      await fetch(`${s.baseUrl}/models/${MODEL}`, { headers: { Authorization: `Bearer ${s.token}` } })
    ).json()) as { latest_version: { id: string } };
    const version = model.latest_version.id;
    const r = rig(s, root);
    const replicate = new Replicate({ auth: s.token, baseUrl: s.baseUrl, useFileOutput: false });
    const peerDir = path.join(root, 'peer');
    await fs.mkdir(peerDir, { recursive: true });

    // --- 1 and 2: interleaved, the order rotating, so machine noise hits them all alike ---
    const timed = async (fn: () => Promise<void>) => {
      const g0 = s.generationMs();
      const t0 = performance.now();
      await fn();
      const total = performance.now() - t0;
      return { total, render: s.generationMs() - g0 };
    };
    const eng: Array<{ total: number; render: number }> = [];
    const raw: Array<{ total: number; render: number }> = [];
    const peer: number[] = [];
    // Context for the overhead: the job journals 6 states, writes the 4 files in parallel, then
    // run.json and index.json, each write temp + fsync + rename + folder fsync, one after the other.
    const fsyncMs: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const steps = [
        async () => {
          const t = await timed(() => engineRun(r));
          if (i >= WARMUP) eng.push(t);
        },
        async () => {
          const t = await timed(() => rawClientRun(s, version));
          if (i >= WARMUP) raw.push(t);
        },
        async () => {
          const t = await timed(() => peerRun(replicate, version, peerDir, i));
          if (i >= WARMUP) peer.push(t.total);
        },
        async () => {
          const t = await timed(() => writeJsonAtomic(path.join(root, `probe-${i}.json`), { i, input: CARD_EXAMPLE }));
          if (i >= WARMUP) fsyncMs.push(t.total);
        },
      ];
      for (let k = 0; k < steps.length; k++) await steps[(i + k) % steps.length]!();
    }
    // Pass/fail is judged on the value shown, so the table never reads "50 ms ✗ (< 50 ms)".
    const overhead = round(median(eng.map((e, i) => e.total - e.render - (raw[i]!.total - raw[i]!.render))));
    const engineTotal = median(eng.map((e) => e.total));
    const rawTotal = median(raw.map((e) => e.total));
    const peerTotal = median(peer);
    const render = median([...eng, ...raw].map((e) => e.render));
    rows.push({
      name: `engine: overhead, start() → 4 × 1344×768 PNG saved, minus the simulator's own latency (raw-fetch client, same ${POLL_MS} ms polls; render time subtracted per run), median of ${RUNS}`,
      value: overhead,
      unit: 'ms',
      target: '< 50 ms',
      pass: overhead < 50,
    });
    rows.push({
      name: `engine: context: one small fsync'd atomic write on this disk (the job above makes 9 in a row), median of ${RUNS}`,
      value: round(median(fsyncMs)),
      unit: 'ms',
      target: '— (reference)',
      pass: true,
    });
    rows.push({
      name: `engine: simulator's own latency, raw-fetch client create → poll → GET 4 files (of which ~${Math.round(render)} ms rendering), median of ${RUNS}`,
      value: round(rawTotal),
      unit: 'ms',
      target: '— (reference)',
      pass: true,
    });
    rows.push({
      name: `engine: start() → 4 PNGs saved, total, median of ${RUNS}`,
      value: round(engineTotal),
      unit: 'ms',
      target: '— (reference)',
      pass: true,
    });
    rows.push({
      name: `engine: peer, replicate@1.4.0 run() (poll ${POLL_MS} ms) + 4 sequential fetch + fs.writeFile, total, median of ${RUNS}`,
      value: round(peerTotal),
      unit: 'ms',
      target: '— (peer)',
      pass: true,
    });
    // The engine does more than the peer (journal fsyncs, decode check and metadata embedding of each
    // file, fsynced atomic writes, run.json and index.json) but downloads the 4 files in parallel. Both
    // wait for the same simulator, which here takes 100–400 ms (nearly all of it rendering the PNGs,
    // depending on how busy the machine is), so the ratio is mostly "engine overhead / render time":
    // the < 50 ms overhead budget over a 100 ms simulator is 1.5×, hence ≤ 1.5×. It is not a
    // machine-independent figure (a faster render raises it); against real Replicate, where a run
    // takes seconds, it tends to 1 whatever the engine does.
    const ratio = round(engineTotal / peerTotal, 2);
    rows.push({
      name: 'engine: engine / replicate.run time (same job, same simulator)',
      value: ratio,
      unit: '×',
      target: '≤ 1.5×',
      pass: ratio <= 1.5,
    });

    // --- 3: upload bytes for a 12 MP selfie used for img2img ---
    const selfie = path.join(root, 'IMG_4032x3024.jpg');
    const jpeg = await selfieJpeg();
    writeFileSync(selfie, jpeg);
    const img2img = async () => {
      const before = s.stats().uploadBytes;
      const job = await r.engine.start({
        modelRef: MODEL,
        input: {
          prompt: 'subject in a bright office, editorial portrait',
          prompt_strength: 0.8,
          num_outputs: 1,
          output_format: 'jpg',
        },
        image: { name: path.basename(selfie), path: selfie },
        repeat: true,
      });
      const done = await r.engine.wait(job.id);
      if (done.state !== 'saved') throw new Error(`img2img job ended ${done.state}: ${done.error?.message ?? ''}`);
      return s.stats().uploadBytes - before;
    };
    const first = await img2img();
    const pct = round((first / jpeg.byteLength) * 100);
    rows.push({
      name: `engine: 12 MP JPEG selfie (4032×3024, q90, ${round(jpeg.byteLength / 1e6, 1)} MB) for img2img: % of the file uploaded (first use, ${round(first / 1e3, 0)} kB)`,
      value: pct,
      unit: '%',
      target: '< 15 %',
      pass: pct < 15,
    });
    const second = await img2img();
    rows.push({
      name: 'engine: same selfie again: bytes uploaded the second time',
      value: second,
      unit: 'B',
      target: '0',
      pass: second === 0,
    });
  } finally {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  for (const r of await benchEngine())
    console.log(`${r.pass ? 'ok  ' : 'FAIL'} ${r.name}: ${r.value} ${r.unit} (target ${r.target})`);
}
