/** library:query: the photos of a filter, in order, and the chips' counts with the other filters applied. */
import { describe, expect, it } from 'vitest';
import { Library } from '../../../../electron/services/library/library';
import { aspectOf, foldText } from '../../../../electron/services/library/gallery-query';
import { tmpDir } from '../jobs/harness';
import { runId, writeRun } from './run-fixtures';

const DAY = 86_400_000;

async function sample() {
  const root = tmpDir('sseelfie-query-');
  const lib = new Library(root);
  await lib.ensure();
  const ids = { cafe: runId(), beach: runId(), repaint: runId(), office: runId() };
  writeRun(root, {
    id: ids.cafe,
    createdAt: 1 * DAY,
    prompt: 'TOK at a Café in Paris',
    images: [{ flag: 'pick', rating: 4 }, { flag: 'reject' }, { rating: 2 }],
  });
  writeRun(root, {
    id: ids.beach,
    createdAt: 2 * DAY,
    prompt: 'TOK on the beach',
    modelRef: 'ada/me',
    images: [
      { width: 1344, height: 768, flag: 'pick', rating: 5 },
      { width: 1344, height: 768, flag: 'reject', rating: 1 },
    ],
  });
  writeRun(root, {
    id: ids.repaint,
    createdAt: 3 * DAY,
    prompt: 'repaint the jacket, cafe light',
    mode: 'inpaint',
    images: [{ width: 1000, height: 700 }],
  });
  writeRun(root, {
    id: ids.office,
    createdAt: 4 * DAY,
    prompt: 'TOK in an office',
    mode: 'img2img',
    images: [{ flag: 'reject', rating: 3 }],
  });
  return { lib, ids };
}

describe('gallery query', () => {
  it('lists every photo newest first, with counts for each chip', async () => {
    const { lib, ids } = await sample();
    const page = await lib.query();
    expect(page.total).toBe(7);
    expect(page.items).toEqual([
      { runId: ids.office, index: 0 },
      { runId: ids.repaint, index: 0 },
      { runId: ids.beach, index: 0 },
      { runId: ids.beach, index: 1 },
      { runId: ids.cafe, index: 0 },
      { runId: ids.cafe, index: 1 },
      { runId: ids.cafe, index: 2 },
    ]);
    expect(page.counts.flag).toEqual({ any: 7, pick: 2, reject: 3, unflagged: 2 });
    expect(page.counts.rating).toEqual([7, 5, 4, 3, 2, 1]);
    expect(page.counts.mode).toEqual({ txt2img: 5, img2img: 1, inpaint: 1 });
    expect(page.counts.model).toEqual([
      { value: 'sandrasocial/sseelfie-ai', count: 5 },
      { value: 'ada/me', count: 2 },
    ]);
    expect(page.counts.aspect).toEqual([
      { value: '1:1', count: 4 },
      { value: '16:9', count: 2 },
      { value: '1000×700', count: 1 },
    ]);
  });

  it('each chip counts what choosing it would give, with the other filters as they are', async () => {
    const { lib, ids } = await sample();
    const page = await lib.query({ filter: { flag: 'reject', mode: 'txt2img' } });
    expect(page.items).toEqual([
      { runId: ids.beach, index: 1 },
      { runId: ids.cafe, index: 1 },
    ]);
    expect(page.total).toBe(2);
    // Flag chips: the txt2img photos by flag (the flag filter itself left out).
    expect(page.counts.flag).toEqual({ any: 5, pick: 2, reject: 2, unflagged: 1 });
    // Mode chips: the rejected photos by mode (the mode filter left out).
    expect(page.counts.mode).toEqual({ txt2img: 2, img2img: 1, inpaint: 0 });
    // Rating chips: rejected txt2img photos rated ≥ n.
    expect(page.counts.rating).toEqual([2, 1, 0, 0, 0, 0]);

    const rated = await lib.query({ filter: { minRating: 3 } });
    expect(rated.items).toEqual([
      { runId: ids.office, index: 0 },
      { runId: ids.beach, index: 0 },
      { runId: ids.cafe, index: 0 },
    ]);
    expect(rated.counts.flag).toEqual({ any: 3, pick: 2, reject: 1, unflagged: 0 });
    expect(rated.counts.rating).toEqual([7, 5, 4, 3, 2, 1]);

    const unflagged = await lib.query({ filter: { flag: 'unflagged', model: 'sandrasocial/sseelfie-ai' } });
    expect(unflagged.items).toEqual([
      { runId: ids.repaint, index: 0 },
      { runId: ids.cafe, index: 2 },
    ]);
    expect(unflagged.counts.model).toEqual([{ value: 'sandrasocial/sseelfie-ai', count: 2 }]);
    expect((await lib.query({ filter: { aspect: '16:9' } })).items).toEqual([
      { runId: ids.beach, index: 0 },
      { runId: ids.beach, index: 1 },
    ]);
  });

  it('search is accent- and case-insensitive, all words must match; date ranges are inclusive', async () => {
    const { lib, ids } = await sample();
    const photosOf = async (filter: object) => [...new Set((await lib.query({ filter })).items.map((i) => i.runId))];
    expect(await photosOf({ search: 'cafe' })).toEqual([ids.repaint, ids.cafe]);
    expect(await photosOf({ search: 'CAFÉ' })).toEqual([ids.repaint, ids.cafe]);
    expect(await photosOf({ search: 'café paris' })).toEqual([ids.cafe]);
    expect(await photosOf({ search: 'cafe  beach' })).toEqual([]);
    expect(await photosOf({ search: '   ' })).toEqual([ids.office, ids.repaint, ids.beach, ids.cafe]);
    expect(await photosOf({ from: 2 * DAY, to: 3 * DAY })).toEqual([ids.repaint, ids.beach]);
    expect(foldText('Crème BRÛLÉE, São Paulo')).toBe('creme brulee, sao paulo');
  });

  it('sorts oldest first (a run’s photos in their own order) or by rating, best first, then newest', async () => {
    const { lib, ids } = await sample();
    expect((await lib.query({ sort: 'oldest', filter: { flag: 'any' } })).items.slice(0, 4)).toEqual([
      { runId: ids.cafe, index: 0 },
      { runId: ids.cafe, index: 1 },
      { runId: ids.cafe, index: 2 },
      { runId: ids.beach, index: 0 },
    ]);
    const byRating = await lib.query({ sort: 'rating' });
    expect(byRating.items).toEqual([
      { runId: ids.beach, index: 0 },
      { runId: ids.cafe, index: 0 },
      { runId: ids.office, index: 0 },
      { runId: ids.cafe, index: 2 },
      { runId: ids.beach, index: 1 },
      { runId: ids.repaint, index: 0 },
      { runId: ids.cafe, index: 1 },
    ]);
    const window = await lib.query({ sort: 'rating', offset: 1, limit: 2 });
    expect(window.items).toEqual(byRating.items.slice(1, 3));
    expect(window.total).toBe(7);
  });

  it('records come from memory for the runs on screen, in the order asked', async () => {
    const { lib, ids } = await sample();
    const recs = await lib.records([ids.beach, '20990101-000000-gone', ids.cafe]);
    expect(recs.map((r) => r.id)).toEqual([ids.beach, ids.cafe]);
    expect(recs[0]!.images.map((im) => [im.id, im.flag, im.rating])).toEqual([
      [`runs/${ids.beach}/1.png`, 'pick', 5],
      [`runs/${ids.beach}/2.png`, 'reject', 1],
    ]);
  });

  it('names the aspect from the pixels: the usual ratio within 3 %, else the size', () => {
    expect(aspectOf(1344, 768)).toBe('16:9');
    expect(aspectOf(768, 1344)).toBe('9:16');
    expect(aspectOf(1024, 1024)).toBe('1:1');
    expect(aspectOf(896, 1088)).toBe('4:5'); // FLUX's 4:5, rounded to 16 px
    expect(aspectOf(1000, 700)).toBe('1000×700');
    expect(aspectOf(0, 10)).toBe('unknown');
  });
});
