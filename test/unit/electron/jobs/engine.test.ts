import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/server';
import { readParameters } from '../../../../electron/services/images/embed-metadata';
import { restoreSettings } from '../../../../electron/services/export/restore-settings';
import { BUILTIN_SCHEMA } from '../../../../shared/model/builtin';
import { CARD_EXAMPLE, FIXTURES, rig, sim } from './harness';

let s: Simulator;
beforeAll(async () => {
  s = await sim();
});
afterAll(() => s.close());

const MODEL = 'sandrasocial/sseelfie-ai';

describe('JobEngine against the simulator', () => {
  it("runs the model card's example: four 1344×768 PNGs saved with their parameters embedded", async () => {
    const before = s.stats().predictionsCreated;
    const r = rig(s);
    const job = await r.engine.start({ modelRef: MODEL, input: CARD_EXAMPLE });
    const done = await r.engine.wait(job.id);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('saved');
    expect(done.images).toHaveLength(4);
    expect(done.seed).toEqual(expect.any(Number));
    expect(s.stats().predictionsCreated - before).toBe(1);
    expect(r.changes).toEqual(
      expect.arrayContaining(['queued', 'preparing', 'submitted', 'running', 'downloading', 'saved']),
    );

    const runDir = r.library.runDir(done.runId);
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({
      id: done.runId,
      modelRef: MODEL,
      predictionId: done.predictionId,
      seed: done.seed,
      mode: 'txt2img',
      input: { num_outputs: 4, aspect_ratio: '16:9' },
    });
    expect(run.version).toMatch(/^[0-9a-f]{64}$/);
    expect(run.predictTime).toEqual(expect.any(Number));
    for (const im of done.images) {
      const file = path.join(r.library.root, im.id);
      const bytes = new Uint8Array(readFileSync(file));
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 1344, 768]);
      const params = readParameters(bytes);
      expect(params.parameters).toContain(CARD_EXAMPLE.prompt);
      expect(params.parameters).toContain(`Seed: ${done.seed}`);
      expect(params.parameters).toContain('Size: 1344x768');
      expect(params.json).toMatchObject({ predictionId: done.predictionId, seed: done.seed });
    }
    const list = await r.library.list();
    expect(list[0]).toMatchObject({ id: done.runId, seed: done.seed });
    expect(readdirSync(r.engine.journal.dir)).toEqual([]); // journal entry gone once saved
  });

  it('a token Replicate refuses is said as such when the model cannot be looked up, not as a connection problem', async () => {
    const before = s.stats().predictionsCreated;
    const r = rig(s, { gateway: { token: async () => 'r8_not_the_right_one' } });
    const err = await r.engine.start({ modelRef: MODEL, input: CARD_EXAMPLE }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(
        /^Could not look up the current version of sandrasocial\/sseelfie-ai\. .*API token/,
      ),
    });
    expect((err as Error).message).not.toMatch(/connection/);
    expect(s.stats().predictionsCreated - before).toBe(0);
  });

  it('rounds custom sizes up to 16 as the model does', async () => {
    const r = rig(s);
    const job = await r.engine.start({
      modelRef: MODEL,
      input: { prompt: 'subject portrait', aspect_ratio: 'custom', width: 1000, height: 700, output_format: 'jpg' },
    });
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('saved');
    const meta = await sharp(path.join(r.library.root, done.images[0]!.id)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1008, 704]);
    expect(
      readParameters(new Uint8Array(readFileSync(path.join(r.library.root, done.images[0]!.id)))).parameters,
    ).toContain('subject portrait');
  });

  it('img2img from an EXIF-rotated selfie: prepared upright, GPS gone, output at the prepared size', async () => {
    const r = rig(s);
    const src = path.join(FIXTURES, 'selfie-exif6.jpg');
    const job = await r.engine.start({
      modelRef: MODEL,
      input: { prompt: 'subject in an office', prompt_strength: 0.6, output_format: 'webp' },
      image: { name: 'selfie-exif6.jpg', path: src },
    });
    const done = await r.engine.wait(job.id);
    expect(done.error).toBeUndefined();
    const runDir = r.library.runDir(done.runId);
    const prepared = await sharp(path.join(runDir, 'source.jpg')).metadata();
    expect(prepared.width! < prepared.height!).toBe(true); // 800×600 stored, orientation 6 → portrait
    expect(prepared.width! % 16).toBe(0);
    expect(prepared.height! % 16).toBe(0);
    expect(prepared.exif).toBeUndefined();
    expect(prepared.orientation ?? 1).toBe(1);
    const out = await sharp(path.join(r.library.root, done.images[0]!.id)).metadata();
    expect([out.width, out.height]).toEqual([prepared.width, prepared.height]);
    const run = JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ mode: 'img2img', input: { image: 'source.jpg', prompt_strength: 0.6 } });
    // the prediction was sent a Files API URL, not a data URI and not the local path
    const pred = s.predictions().find((p) => p.id === done.predictionId)!;
    expect(String(pred.input.image)).toMatch(/\/v1\/files\//);
  });

  it('uploads the same selfie once while it is reused', async () => {
    const r = rig(s);
    const src = path.join(FIXTURES, 'selfie.png');
    const before = s.stats().uploads;
    for (let i = 0; i < 2; i++) {
      const job = await r.engine.start({
        modelRef: MODEL,
        input: { prompt: `subject take ${i}` },
        image: { name: 'selfie.png', path: src },
      });
      expect((await r.engine.wait(job.id)).state).toBe('saved');
    }
    expect(s.stats().uploads - before).toBe(1);
  });

  it('inpaints with a mask painted on the rotated photo: image and mask the same size; outside kept exactly when asked', async () => {
    const r = rig(s);
    const src = path.join(FIXTURES, 'selfie-exif6.jpg');
    const meta = await sharp(src).rotate().metadata(); // the photo as the person sees it
    const W = meta.autoOrient?.width ?? meta.height!;
    const H = meta.autoOrient?.height ?? meta.width!;
    const data = new Uint8Array(W * H);
    for (let y = Math.floor(H * 0.1); y < Math.floor(H * 0.4); y++)
      data.fill(255, y * W + Math.floor(W * 0.2), y * W + Math.floor(W * 0.8));
    const job = await r.engine.start({
      modelRef: MODEL,
      input: { prompt: 'subject wearing a red hat', prompt_strength: 1, output_format: 'png' },
      image: { name: 'selfie-exif6.jpg', path: src },
      mask: { width: W, height: H, data },
      keepOutside: true,
    });
    const done = await r.engine.wait(job.id);
    expect(done.error).toBeUndefined();
    const runDir = r.library.runDir(done.runId);
    const img = await sharp(path.join(runDir, 'source.jpg')).metadata();
    const mask = await sharp(path.join(runDir, 'mask.png')).metadata();
    expect([mask.width, mask.height]).toEqual([img.width, img.height]);
    expect(mask.channels).toBe(1);
    const { data: m } = await sharp(path.join(runDir, 'mask.png')).raw().toBuffer({ resolveWithObject: true });
    expect(new Set(m)).toEqual(new Set([0, 255]));
    // the model's output, kept beside the composite
    const model = await sharp(path.join(runDir, '1-model.png')).metadata();
    expect([model.width, model.height]).toEqual([img.width, img.height]);
    // the composite is at the original's full size, and its unpainted pixels are the original's
    const composite = path.join(r.library.root, done.images[0]!.id);
    const c = await sharp(composite).metadata();
    expect([c.width, c.height]).toEqual([W, H]);
    const orig = await sharp(src).rotate().removeAlpha().raw().toBuffer();
    const comp = await sharp(composite).removeAlpha().raw().toBuffer();
    const px = (buf: Buffer, x: number, y: number) => [...buf.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
    const far = px(orig, Math.floor(W * 0.5), Math.floor(H * 0.9));
    const got = px(comp, Math.floor(W * 0.5), Math.floor(H * 0.9));
    expect(got).toEqual(far); // lossless: the original's own pixels
    // every pixel clearly outside the painted band (rows 10–40 %) is the original's, byte for byte
    let differ = 0;
    for (let y = 0; y < H; y++) {
      if (y > H * 0.05 && y < H * 0.45) continue;
      for (let x = 0; x < W * 3; x++) if (orig[y * W * 3 + x] !== comp[y * W * 3 + x]) differ++;
    }
    expect(differ).toBe(0);
    expect(orig.equals(comp)).toBe(false); // and the painted region did change
    expect(JSON.parse(readFileSync(path.join(runDir, 'run.json'), 'utf8')).mode).toBe('inpaint');
    // the composite carries every setting, so restoring from it gives them back
    const restored = await restoreSettings(new Uint8Array(readFileSync(composite)), BUILTIN_SCHEMA);
    expect(restored).toMatchObject({
      source: 'sseelfie',
      modelRef: MODEL,
      input: { prompt: 'subject wearing a red hat', prompt_strength: 1, output_format: 'png', seed: done.seed },
    });
  });

  it.each([
    [{ prompt: '' }, 'prompt'],
    [{ prompt: 'x', num_outputs: 9 }, 'num_outputs'],
    [{ prompt: 'x', aspect_ratio: 'custom', width: 800 }, 'height'],
    [{ prompt: 'x', output_format: 'gif' }, 'output_format'],
    [{ prompt: 'x', extra_lora: 'ftp://nope' }, 'extra_lora'],
    [{ prompt: 'x', guidance_scale: 11 }, 'guidance_scale'],
  ])('invalid input %j is refused with field messages and no prediction is created', async (input, field) => {
    const r = rig(s);
    const before = s.stats().createCalls;
    const e = await r.engine.start({ modelRef: MODEL, input }).catch((x) => x);
    expect(e.code).toBe('invalid_input');
    expect(e.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(s.stats().createCalls).toBe(before);
  });

  it('refuses a mask without a photo, and a photo that is not an image, before any request', async () => {
    const r = rig(s);
    const before = s.stats().requests.length;
    const e1 = await r.engine
      .start({ modelRef: MODEL, input: { prompt: 'x' }, mask: { width: 2, height: 2, data: new Uint8Array(4) } })
      .catch((x) => x);
    expect(e1.fields[0].field).toBe('mask');
    const e2 = await r.engine
      .start({
        modelRef: MODEL,
        input: { prompt: 'x' },
        image: { name: 'not-an-image.pdf', path: path.join(FIXTURES, 'not-an-image.pdf') },
      })
      .catch((x) => x);
    expect(e2.code).toBe('unsupported_file');
    expect(e2.message).toContain('not-an-image.pdf');
    // only the model lookup (GET) may have happened
    expect(
      s
        .stats()
        .requests.slice(before)
        .every((q) => q.method === 'GET'),
    ).toBe(true);
  });

  it('saves a partial result when the safety checker drops some images, and explains it', async () => {
    const r = rig(s);
    const job = await r.engine.start({
      modelRef: MODEL,
      input: { prompt: 'subject at the beach [nsfw:1,3]', num_outputs: 4 },
    });
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('saved');
    expect(done.images).toHaveLength(2);
    expect(done.warnings.join(' ')).toMatch(/removed 2 of 4 images \(number 2 and 4\)/);
  });

  it.each([
    ['[nsfw]', 'safety', /safety checker removed every image/],
    ['[oom]', 'out_of_memory', /ran out of memory/],
  ])('a failed prediction (%s) ends with a message a person understands', async (marker, code, msg) => {
    const r = rig(s);
    const job = await r.engine.start({ modelRef: MODEL, input: { prompt: `subject ${marker}` } });
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code });
    expect(done.error!.message).toMatch(msg);
  });

  it('cancels a running prediction on Replicate', async () => {
    const r = rig(s);
    const job = await r.engine.start({
      modelRef: MODEL,
      input: { prompt: 'subject walking [slow]', num_inference_steps: 50 },
    });
    for (let i = 0; i < 400 && r.engine.get(job.id)!.state !== 'running'; i++)
      await new Promise((res) => setTimeout(res, 5));
    await r.engine.cancel(job.id);
    const done = await r.engine.wait(job.id);
    expect(done.state).toBe('canceled');
    expect(s.predictions().find((p) => p.id === done.predictionId)!.status).toBe('canceled');
  });

  it('reports an unknown model and a bad token in words', async () => {
    const r = rig(s);
    await expect(r.engine.start({ modelRef: 'nobody/nothing', input: { prompt: 'x' } })).rejects.toMatchObject({
      code: 'not_found',
    });
    const other = await sim({ tokens: { r8_broke: { username: 'broke', credit: 'none' } } });
    try {
      const r2 = rig(other);
      const job = await r2.engine.start({ modelRef: MODEL, input: { prompt: 'subject' } });
      const done = await r2.engine.wait(job.id);
      expect(done.state).toBe('failed');
      expect(done.error).toMatchObject({ code: 'insufficient_credit' });
      expect(other.stats().createCalls).toBe(1); // 402 is never retried
    } finally {
      await other.close();
    }
  });

  it('a written library shows up in the index even after the index is deleted (files are the truth)', async () => {
    const r = rig(s);
    const job = await r.engine.start({ modelRef: MODEL, input: { prompt: 'subject index check' } });
    const done = await r.engine.wait(job.id);
    const { rmSync } = await import('node:fs');
    await r.library.flush(); // index.json is written shortly after a save
    rmSync(path.join(r.library.appDir, 'index.json'));
    r.library.invalidate();
    expect((await r.library.list()).map((x) => x.id)).toContain(done.runId);
    await r.library.flush();
    expect(existsSync(path.join(r.library.appDir, 'index.json'))).toBe(true);
  });
});
