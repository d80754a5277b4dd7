import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAgainst } from './cli-harness';
import { readParameters } from '../../../electron/services/images/embed-metadata';
import type { Simulator } from '../../sim/server';
import { FIXTURES, sim, tmpDir } from './jobs/harness';
import { Holder } from './library/lock-holder';

let s: Simulator;
beforeAll(async () => {
  s = await sim();
});
afterAll(() => s.close());

const cli = (args: string[], env: Record<string, string | undefined> = {}) => runCliAgainst(s, args, { env });

describe('CLI', () => {
  it('generate --json: one JSON object, files saved with parameters, exit 0', async () => {
    const lib = tmpDir();
    const r = await cli([
      'generate',
      '--prompt',
      'subject office portrait',
      '--set',
      'num_outputs=2',
      '--set',
      'output_format=png',
      '--set',
      'aspect_ratio=4:5',
      '--library',
      lib,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o).sort()).toEqual(['files', 'predictionId', 'runId', 'seed', 'status', 'warnings']);
    expect(o).toMatchObject({ status: 'saved', seed: expect.any(Number), warnings: [] });
    expect(o.files).toHaveLength(2);
    for (const f of o.files) {
      expect(path.isAbsolute(f)).toBe(true);
      const m = await sharp(f).metadata();
      expect([m.width, m.height]).toEqual([896, 1088]);
      expect(readParameters(new Uint8Array(readFileSync(f))).parameters).toContain(`Seed: ${o.seed}`);
    }
  });

  it('--input takes the model page JSON; --set overrides one field typed by the schema', async () => {
    const lib = tmpDir();
    const input = path.join(lib, 'inputs.json');
    writeFileSync(
      input,
      JSON.stringify({ prompt: 'subject at a cafe', num_outputs: 3, output_format: 'jpg', seed: 42 }),
    );
    const r = await cli(['generate', '--input', input, '--set', 'num_outputs=1', '--library', lib, '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.files).toHaveLength(1);
    expect(o.seed).toBe(42);
    expect(s.predictions().find((p) => p.id === o.predictionId)!.input).toMatchObject({
      num_outputs: 1,
      seed: 42,
      output_format: 'jpg',
    });
  });

  it.each([
    [['generate', '--prompt', 'x', '--set', 'num_outputs=7'], /num_outputs: .*between 1 and 4/],
    [
      ['generate', '--prompt', 'x', '--set', 'aspect_ratio=custom', '--set', 'width=900'],
      /height: .*both width and height/,
    ],
    [['generate', '--prompt', ''], /prompt: Write a prompt/],
    [['generate', '--prompt', 'x', '--mask', 'm.png'], /mask: .*--image/],
    [['generate', '--prompt', 'x', '--image', path.join(FIXTURES, 'corrupt.jpg')], /corrupt\.jpg/],
    [['generate', '--bogus'], /Unknown option/],
  ])('invalid input %j → exit 2, messages on stderr, no prediction created', async (args, msg) => {
    const before = s.stats().createCalls;
    const r = await cli([...args, '--library', tmpDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(s.stats().createCalls).toBe(before);
  });

  it('a failed job exits 1 with the reason on stderr', async () => {
    const r = await cli(['generate', '--prompt', 'subject [oom]', '--library', tmpDir(), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).status).toBe('failed');
    expect(r.stderr).toMatch(/ran out of memory/);
  });

  it('missing token → exit 2 with what to do', async () => {
    const r = await cli(['generate', '--prompt', 'x', '--library', tmpDir()], { REPLICATE_API_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REPLICATE_API_TOKEN/);
  });

  it('img2img + inpaint with local files; list --json shows the runs', async () => {
    const lib = tmpDir();
    const mask = path.join(lib, 'mask.png');
    const { width, height } = (
      await sharp(path.join(FIXTURES, 'selfie-exif6.jpg')).rotate().toBuffer({ resolveWithObject: true })
    ).info;
    await sharp({ create: { width, height, channels: 3, background: '#000' } })
      .composite([
        {
          input: {
            create: { width: Math.round(width / 2), height: Math.round(height / 3), channels: 3, background: '#fff' },
          },
          top: 10,
          left: 10,
        },
      ])
      .png()
      .toFile(mask);
    const r = await cli([
      'generate',
      '--prompt',
      'subject with sunglasses',
      '--image',
      path.join(FIXTURES, 'selfie-exif6.jpg'),
      '--mask',
      mask,
      '--library',
      lib,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    const o = JSON.parse(r.stdout);
    const runDir = path.dirname(o.files[0]);
    const a = await sharp(path.join(runDir, 'source.jpg')).metadata();
    const b = await sharp(path.join(runDir, 'mask.png')).metadata();
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    const list = await cli(['list', '--library', lib, '--json']);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id: o.runId, mode: 'inpaint', files: o.files }),
    ]);
  });

  it('resume finishes what a killed process left, without a second prediction', async () => {
    const lib = tmpDir();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/cli.ts',
        'generate',
        '--prompt',
        'subject on a rooftop [slow]',
        '--set',
        'num_inference_steps=30',
        '--library',
        lib,
        '--json',
      ],
      {
        env: { ...process.env, REPLICATE_API_TOKEN: s.token, REPLICATE_BASE_URL: s.baseUrl },
        stdio: 'ignore',
      },
    );
    const journal = path.join(lib, '.sseelfie', 'journal');
    const before = s.stats().predictionsCreated;
    // wait until the prediction exists and the journal says it is running, then kill -9
    for (let i = 0; i < 600; i++) {
      const files = existsSync(journal) ? readdirSync(journal).filter((f) => f.endsWith('.json')) : [];
      const state = files.length ? JSON.parse(readFileSync(path.join(journal, files[0]!), 'utf8')).state : null;
      if (state === 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(s.stats().predictionsCreated - before).toBe(1);
    const r = await cli(['resume', '--library', lib, '--json']);
    expect(r.code).toBe(0);
    const [o] = JSON.parse(r.stdout);
    expect(o.status).toBe('saved');
    expect(o.files).toHaveLength(1);
    expect(s.stats().predictionsCreated - before).toBe(1);
    expect(JSON.parse((await cli(['resume', '--library', lib, '--json'])).stdout)).toEqual([]);
  });

  it('refuses to write while another process holds the library, and goes ahead once it is gone', async () => {
    const lib = tmpDir();
    const { holder, first } = await Holder.start(path.join(lib, '.sseelfie'), 'Sseelfie Studio', { hold: true });
    try {
      expect(first.ok).toBe(true);
      const before = s.stats().predictionsCreated;
      const r = await cli(['generate', '--prompt', 'x', '--library', lib]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`in use by Sseelfie Studio \\(process ${holder.pid}\\)`));
      expect(s.stats().predictionsCreated).toBe(before); // nothing was sent
      await holder.kill9();
      expect((await cli(['resume', '--library', lib, '--json'])).code).toBe(0); // at once: the dead holder does not block
    } finally {
      holder.child.kill('SIGKILL');
    }
  });
});
