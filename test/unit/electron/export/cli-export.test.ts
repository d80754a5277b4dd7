/**
 * The CLI's export and generate --from: real library folders, the simulator for generate.
 * A bad argument exits 2 with a message and writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/cli-core';
import type { Simulator } from '../../../sim/server';
import { runCliAgainst } from '../cli-harness';
import { sim } from '../jobs/harness';
import { makeLibrary, tmpDir } from './helpers';

const OLD = '20261201-090000-aaaa01';
const NEW = '20261203-100000-bbbb02';
let lib: string;
let s: Simulator;

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (x) => out.push(x),
    stderr: (x) => err.push(x),
    isTTY: false,
    env: {},
    userDataDir: tmpDir('sseelfie-cli-ud-'),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(async () => {
  ({ root: lib } = await makeLibrary([
    {
      id: OLD,
      width: 1024,
      height: 1024,
      format: 'png',
      images: 2,
      picked: [1],
      createdAt: new Date(2026, 11, 1, 9).getTime(),
      label: 'Office portrait',
    },
    {
      id: NEW,
      width: 1344,
      height: 768,
      format: 'webp',
      images: 2,
      createdAt: new Date(2026, 11, 3, 10).getTime(),
      label: 'Speaking on stage',
    },
  ]));
  s = await sim();
});
afterAll(() => s.close());

describe('npm run cli -- export', () => {
  it('--run ID --json prints the absolute paths written, in the size and format asked', async () => {
    const to = path.join(tmpDir('sseelfie-cli-out-'), 'new-folder');
    const r = await cli([
      'export',
      '--to',
      to,
      '--run',
      OLD,
      '--format',
      'webp',
      '--quality',
      '70',
      '--size',
      'square',
      '--library',
      lib,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { files } = JSON.parse(r.stdout) as { files: string[] };
    expect(files.map((f) => path.basename(f))).toEqual([
      '2026-12-01_office-portrait_seed-48213.webp',
      '2026-12-01_office-portrait_seed-48213-2.webp',
    ]);
    for (const f of files) {
      expect(path.isAbsolute(f)).toBe(true);
      const m = await sharp(f).metadata();
      expect([m.format, m.width, m.height]).toEqual(['webp', 1024, 1024]);
    }
  });

  it('--run latest and --picked choose the photos; --strip-metadata leaves none; a smaller photo warns on stderr', async () => {
    const to = tmpDir('sseelfie-cli-out-');
    const latest = await cli([
      'export',
      '--to',
      to,
      '--run',
      'latest',
      '--size',
      'hero',
      '--strip-metadata',
      '--library',
      lib,
      '--json',
    ]);
    expect(latest.code).toBe(0);
    const files = (JSON.parse(latest.stdout) as { files: string[] }).files;
    expect(files.map((f) => path.basename(f))).toEqual([
      '2026-12-03_speaking-stage_seed-48213.jpg',
      '2026-12-03_speaking-stage_seed-48213-2.jpg',
    ]);
    expect(latest.stderr).toMatch(/warning: 2026-12-03_speaking-stage_seed-48213\.jpg: .*not enlarged/);
    const tags = JSON.parse(
      execFileSync('exiftool', ['-j', '-G1', '-a', files[0]!], { encoding: 'utf8' }),
    )[0] as Record<string, unknown>;
    expect(Object.keys(tags).filter((k) => /^(XMP|ExifIFD|IFD0)/.test(k))).toEqual([]);
    const picked = await cli(['export', '--to', to, '--picked', '--format', 'png', '--library', lib]);
    expect(picked.code).toBe(0);
    expect(
      picked.stdout
        .trim()
        .split('\n')
        .map((f) => path.basename(f)),
    ).toEqual(['2026-12-01_office-portrait_seed-48213.png']);
  });

  it('exit 2 with a message and nothing written: bad format, quality 0, missing --to, unknown run, no selection', async () => {
    const parent = tmpDir('sseelfie-cli-out-');
    const to = path.join(parent, 'out');
    const cases: Array<[string[], RegExp]> = [
      [['--to', to, '--run', OLD, '--format', 'gif'], /--format gif: use png, jpg, webp/],
      [['--to', to, '--run', OLD, '--quality', '0'], /--quality 0: use a whole number from 1 to 100/],
      [['--to', to, '--run', OLD, '--quality', '7.5'], /--quality 7\.5/],
      [['--run', OLD], /--to DIR is required/],
      [['--to', to, '--run', '20990101-000000-zzzz99'], /no such run/],
      [['--to', to, '--run', '../../etc'], /no such run/],
      [
        ['--to', to, '--run', OLD, '--size', 'poster'],
        /--size poster: use original, web, square, linkedin-banner, hero/,
      ],
      [['--to', to], /say which photos/],
      [['--to', to, '--run', OLD, '--picked'], /say which photos/],
      [['--to', to, '--run', OLD, '--frobnicate'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['export', ...args, '--library', lib]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(to)).toBe(false);
    expect(readdirSync(parent)).toEqual([]);
    const empty = tmpDir('sseelfie-cli-empty-lib-');
    const none = await cli(['export', '--to', to, '--picked', '--library', empty]);
    expect(none).toMatchObject({ code: 2, stderr: expect.stringMatching(/no picked photos/) });
  });
});

describe('npm run cli -- generate --from', () => {
  it('an A1111 PNG: its settings are the input, --set overrides, the negative prompt is noted and not sent', async () => {
    const dir = tmpDir('sseelfie-cli-from-');
    const file = path.join(dir, 'a1111.png');
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#468' } })
      .png()
      .toFile(file);
    const config = path.join(dir, 'a1111.config');
    writeFileSync(
      config,
      "%Image::ExifTool::UserDefined = ('Image::ExifTool::PNG::TextualData' => { parameters => { } });\n1;\n",
    );
    execFileSync('exiftool', [
      '-config',
      config,
      '-q',
      '-overwrite_original',
      '-PNG:parameters=subject on a rooftop at dusk\nNegative prompt: blurry, extra fingers\nSteps: 12, Sampler: Euler a, CFG scale: 4.5, Seed: 777, Size: 832x1216',
      file,
    ]);
    const library = tmpDir('sseelfie-cli-from-lib-');
    const r = await runCliAgainst(s, [
      'generate',
      '--from',
      file,
      '--set',
      'num_inference_steps=8',
      '--set',
      'output_format=png',
      '--library',
      library,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: negative_prompt: FLUX does not use a negative prompt/);
    const o = JSON.parse(r.stdout) as { runId: string; seed: number; files: string[] };
    expect(o.seed).toBe(777);
    const run = JSON.parse(readFileSync(path.join(library, 'runs', o.runId, 'run.json'), 'utf8')) as {
      prompt: string;
      input: Record<string, unknown>;
    };
    expect(run.prompt).toBe('subject on a rooftop at dusk');
    expect(run.input).toMatchObject({ num_inference_steps: 8, guidance_scale: 4.5, seed: 777, aspect_ratio: '2:3' });
    const sent = s.predictions().find((p) => p.id === (JSON.parse(r.stdout) as { predictionId: string }).predictionId)!;
    expect(JSON.stringify(sent)).not.toMatch(/blurry|extra fingers/);
    const m = await sharp(o.files[0]!).metadata();
    expect([m.width, m.height]).toEqual([832, 1216]);
  });

  it('this app’s own photo: generate --from it again restores its settings and model', async () => {
    const file = path.join(lib, 'runs', NEW, '1.webp');
    const library = tmpDir('sseelfie-cli-from-lib-');
    const r = await runCliAgainst(s, [
      'generate',
      '--from',
      file,
      '--set',
      'num_outputs=1',
      '--library',
      library,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const o = JSON.parse(r.stdout) as { runId: string; seed: number };
    expect(o.seed).toBe(48213);
    const run = JSON.parse(readFileSync(path.join(library, 'runs', o.runId, 'run.json'), 'utf8')) as {
      input: Record<string, unknown>;
      modelRef: string;
    };
    expect(run.input).toMatchObject({
      aspect_ratio: '16:9',
      num_inference_steps: 28,
      guidance_scale: 3,
      lora_scale: 1,
      seed: 48213,
    });
    expect(run.modelRef).toBe('sandrasocial/sseelfie-ai');
  });

  it('a file without settings, a damaged or missing file: exit 2 and no prediction', async () => {
    const dir = tmpDir('sseelfie-cli-from-');
    const plainFile = path.join(dir, 'plain.png');
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#000' } })
      .png()
      .toFile(plainFile);
    const before = s.predictions().length;
    for (const [f, msg] of [
      [plainFile, /no generation settings/],
      [path.join(dir, 'missing.png'), /cannot read it \(ENOENT\)/],
    ] as const) {
      const r = await runCliAgainst(s, ['generate', '--from', f, '--library', tmpDir('sseelfie-cli-from-lib-')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    expect(s.predictions().length).toBe(before);
  });
});
