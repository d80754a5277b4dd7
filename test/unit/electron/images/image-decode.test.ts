/**
 * ImagePipeline.decode: EXIF orientation, HEIC through libheif or a platform decoder, GIF's first frame.
 */
import { describe, it, expect } from 'vitest';
import { ImagePipeline } from '../../../../electron/services/images/image-pipeline';
import { expectColour, expectCorners, expectStudioError, fixtureBytes, fixturePath, pixel, rawOf } from './helpers';

const pipeline = new ImagePipeline();

describe('decode', () => {
  it('applies EXIF orientation: stored 800×600, decoded 600×800 with red at the top left', async () => {
    const img = await pipeline.decode({ name: 'selfie-exif6.jpg', bytes: fixtureBytes('selfie-exif6.jpg') });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    const raw = { data, width: info.width, height: info.height, channels: info.channels };
    expect([raw.width, raw.height]).toEqual([600, 800]);
    expectCorners(raw);
  });

  it('decodes HEIC through libheif (WebAssembly)', async () => {
    const img = await pipeline.decode({ name: 'selfie.heic', path: fixturePath('selfie.heic') });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([600, 800, 3]);
    expectCorners({ data, width: info.width, height: info.height, channels: info.channels });
  });

  it('uses a platform HEIC decoder when given one, and falls back to libheif in this thread when it fails or lies', async () => {
    const input = { name: 'selfie.heic', bytes: fixtureBytes('selfie.heic') };
    const calls: number[] = [];
    const purple = new ImagePipeline({
      heicDecoder: async (bytes) => {
        calls.push(bytes.byteLength);
        return { width: 600, height: 800, channels: 3, data: new Uint8Array(600 * 800 * 3).fill(128) };
      },
    });
    const p = await purple.prepareForModel(input);
    expect(calls).toEqual([input.bytes.byteLength]);
    expectColour(pixel(await rawOf(p.bytes), 10, 10), [128, 128, 128], 3);
    for (const heicDecoder of [
      async () => null,
      async () => {
        throw new Error('ImageIO failed');
      },
      async () => ({ width: 10, height: 10, channels: 4 as const, data: new Uint8Array(400) }),
    ]) {
      const fallback = await new ImagePipeline({ heicDecoder }).prepareForModel(input);
      expectCorners(await rawOf(fallback.bytes));
    }
  });

  it('a decoder that also reads the layout (probe) means this thread never parses the HEIC itself', async () => {
    // not a HEIF libheif could read: only the decoder's answers can make this work
    const bytes = new Uint8Array(64);
    bytes.set([0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63]); // ....ftypheic
    const layout = { width: 40, height: 30, tileRows: 1 };
    const decoder = Object.assign(
      async () => ({ width: 40, height: 30, channels: 3 as const, data: new Uint8Array(40 * 30 * 3).fill(200) }),
      { probe: async () => layout },
    );
    const elsewhere = new ImagePipeline({ heicDecoder: decoder });
    expect(await elsewhere.inspect({ name: 'IMG_1.HEIC', bytes })).toEqual({ format: 'heic', width: 40, height: 30 });
    const p = await elsewhere.prepareForModel({ name: 'IMG_1.HEIC', bytes });
    expect([p.width, p.height]).toEqual([32, 16]);
    // its size is still checked against the limit before any pixel is decoded
    const big = Object.assign(async () => null, {
      probe: async () => ({ width: 20_000, height: 20_000, tileRows: 40 }),
    });
    await expectStudioError(
      new ImagePipeline({ heicDecoder: big }).prepareForModel({ name: 'IMG_2.HEIC', bytes }),
      'file_too_large',
    );
    // it read the layout but its decode failed: decoded here, and it is not asked twice
    let calls = 0;
    const flaky = Object.assign(
      async () => {
        calls++;
        return null;
      },
      { probe: async () => ({ width: 600, height: 800, tileRows: 1 }) },
    );
    const fallback = await new ImagePipeline({ heicDecoder: flaky }).prepareForModel({
      name: 'selfie.heic',
      bytes: fixtureBytes('selfie.heic'),
    });
    expectCorners(await rawOf(fallback.bytes));
    expect(calls).toBe(1);
    // when it cannot answer, libheif here reports the damaged file by name
    const none = Object.assign(async () => null, { probe: async () => null });
    await expect(
      new ImagePipeline({ heicDecoder: none }).prepareForModel({ name: 'IMG_3.HEIC', bytes }),
    ).rejects.toMatchObject({ message: expect.stringContaining('IMG_3.HEIC') });
  });

  it('GIF: only the first frame (the selfie, not the blue card)', async () => {
    const img = await pipeline.decode({ name: 'anim.gif', bytes: fixtureBytes('anim.gif') });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([300, 400]);
    const raw = { data, width: info.width, height: info.height, channels: info.channels };
    expectCorners(raw, 10, 30);
  });
});
