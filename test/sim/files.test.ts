/** The Files API: multipart upload, metadata, download, delete, limits, expiry and ownership. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server';
import { api, manualClock, run, solidImage, uploadFile } from './test-helpers';

const clock = manualClock();
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    tokens: { r8_sim_token: { username: 'sim-user' }, r8_other: { username: 'other-user' } },
    timing: { bootMs: 0, stepMs: 0 },
    maxFileBytes: 4096,
    fileTtlMs: 60_000,
    now: clock.now,
  });
});
afterAll(() => sim.close());

describe('files', () => {
  it('uploads multipart content and describes it', async () => {
    const bytes = await solidImage(16, 16, [9, 9, 9]);
    const r = await uploadFile(sim, bytes, 'selfie.png');
    expect(r.status).toBe(201);
    const f = r.body;
    expect(f).toMatchObject({
      name: 'selfie.png',
      content_type: 'image/png',
      size: bytes.length,
      checksums: {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        md5: createHash('md5').update(bytes).digest('hex'),
      },
      metadata: { purpose: 'test' },
      urls: { get: `${sim.baseUrl}/files/${f.id}` },
    });
    expect(Date.parse(f.expires_at) - Date.parse(f.created_at)).toBe(60_000);
    expect((await api(sim, 'GET', `/files/${f.id}`)).body).toEqual(f);
    const dl = await fetch(`${f.urls.get}/download`, { headers: { authorization: `Bearer ${sim.token}` } });
    expect(dl.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);
    const list = await api(sim, 'GET', '/files');
    expect(list.body.results[0].id).toBe(f.id);
    expect(sim.stats()).toMatchObject({ uploads: 1, uploadBytes: bytes.length });
  });

  it('takes the name from a filename field when there is one', async () => {
    const form = new FormData();
    form.append('content', new Blob([new Uint8Array([1, 2, 3])]), 'blob');
    form.append('filename', 'from-field.bin');
    const res = await fetch(`${sim.baseUrl}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.token}` },
      body: form,
    });
    const body = await res.json();
    expect(body).toMatchObject({
      name: 'from-field.bin',
      content_type: 'application/octet-stream',
      size: 3,
      metadata: {},
    });
  });

  it('413 above the size limit', async () => {
    const r = await uploadFile(sim, Buffer.alloc(5000, 1), 'big.bin', 'application/octet-stream');
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ detail: 'File too large', status: 413 });
    const huge = await uploadFile(sim, Buffer.alloc(200_000, 1), 'huge.bin', 'application/octet-stream');
    expect(huge.status).toBe(413);
  });

  it('delete answers 204, then the file is gone', async () => {
    const { body: f } = await uploadFile(sim, Buffer.from('bye'), 'bye.txt', 'text/plain');
    const del = await fetch(f.urls.get, { method: 'DELETE', headers: { authorization: `Bearer ${sim.token}` } });
    expect(del.status).toBe(204);
    expect(await api(sim, 'GET', `/files/${f.id}`)).toMatchObject({
      status: 404,
      body: { detail: 'The requested resource could not be found.', status: 404 },
    });
    expect(
      (await fetch(f.urls.get, { method: 'DELETE', headers: { authorization: `Bearer ${sim.token}` } })).status,
    ).toBe(404);
    expect(sim.files().find((x) => x.id === f.id)).toEqual({ id: f.id, size: 3, deleted: true });
  });

  it('is usable as a prediction input by its owner only, until it expires', async () => {
    const { body: f } = await uploadFile(sim, await solidImage(40, 40, [200, 0, 0]), 'in.png');
    const mine = await run(sim, { prompt: 'x', image: f.urls.get });
    expect(mine.status).toBe('succeeded');
    expect(mine.logs).toContain('[!] Resizing input image from 40x40 to 48x48');

    expect((await api(sim, 'GET', `/files/${f.id}`, { token: 'r8_other' })).status).toBe(404);
    const theirs = await run(sim, { prompt: 'x', image: f.urls.get }, { token: 'r8_other' });
    expect(theirs.status).toBe('failed');
    expect(theirs.error).toMatch(/^Failed to download input file: /);

    clock.advance(60_000);
    expect((await api(sim, 'GET', `/files/${f.id}`)).status).toBe(404);
    const late = await run(sim, { prompt: 'x', image: f.urls.get });
    expect(late.status).toBe('failed');
  });

  it('rejects a non-multipart body', async () => {
    const r = await api(sim, 'POST', '/files', { body: { content: 'x' } });
    expect(r.status).toBe(400);
  });
});
