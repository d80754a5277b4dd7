import { describe, expect, it } from 'vitest';
import { defaultFocus, planExport } from '../../../../electron/services/export/sizes';

describe('export sizes', () => {
  it('gives each size its exact pixels when the photo holds them, without a warning', () => {
    expect(planExport(4000, 3000, 'square')).toMatchObject({
      width: 1024,
      height: 1024,
      crop: { width: 3000, height: 3000 },
    });
    expect(planExport(4000, 3000, 'linkedin-banner')).toMatchObject({
      width: 1584,
      height: 396,
      crop: { width: 4000, height: 1000 },
    });
    expect(planExport(4000, 3000, 'hero')).toMatchObject({
      width: 1920,
      height: 1080,
      crop: { width: 4000, height: 2250 },
    });
    expect(planExport(4000, 3000, 'web')).toMatchObject({
      width: 2048,
      height: 1536,
      crop: { left: 0, top: 0, width: 4000, height: 3000 },
    });
    expect(planExport(1344, 768, 'original')).toEqual({
      crop: { left: 0, top: 0, width: 1344, height: 768 },
      width: 1344,
      height: 768,
    });
    for (const s of ['square', 'linkedin-banner', 'hero', 'web', 'original'] as const)
      expect(planExport(4000, 3000, s).warning).toBeUndefined();
  });

  it('never enlarges: a smaller photo is exported at the largest size of the shape it holds, and says so', () => {
    const hero = planExport(1344, 768, 'hero');
    expect(hero).toMatchObject({ width: 1344, height: 756 });
    expect(hero.warning).toMatch(/1344×756.*smaller than 1920×1080.*not enlarged/);
    const banner = planExport(1344, 768, 'linkedin-banner');
    expect(banner).toMatchObject({ width: 1344, height: 336 });
    expect(banner.warning).toMatch(/not enlarged/);
    const square = planExport(832, 1216, 'square');
    expect(square).toMatchObject({ width: 832, height: 832 });
    expect(square.warning).toMatch(/832×832/);
    const web = planExport(1344, 768, 'web');
    expect(web).toMatchObject({ width: 1344, height: 768 });
    expect(web.warning).toMatch(/smaller than 2048 px.*not enlarged/);
    expect(planExport(1024, 1024, 'square').warning).toBeUndefined();
  });

  it('the crop moves with the focus point and stays inside the photo', () => {
    const left = planExport(2000, 1000, 'square', { focus: { x: 0, y: 0.5 } });
    const right = planExport(2000, 1000, 'square', { focus: { x: 1, y: 0.5 } });
    const mid = planExport(2000, 1000, 'square', { focus: { x: 0.6, y: 0.5 } });
    expect(left.crop).toEqual({ left: 0, top: 0, width: 1000, height: 1000 });
    expect(right.crop).toEqual({ left: 1000, top: 0, width: 1000, height: 1000 });
    expect(mid.crop).toEqual({ left: 700, top: 0, width: 1000, height: 1000 });
    const top = planExport(1000, 2000, 'hero', { focus: { x: 0.5, y: 0 } });
    expect(top.crop).toMatchObject({ left: 0, top: 0, width: 1000, height: 563 });
    const bottom = planExport(1000, 2000, 'hero', { focus: { x: 0.5, y: 1 } });
    expect(bottom.crop.top + bottom.crop.height).toBe(2000);
  });

  it('a crop rectangle keeps that part, cut to the size’s shape around its centre', () => {
    const r = planExport(2000, 1000, 'original', { rect: { left: 0.25, top: 0.1, width: 0.5, height: 0.5 } });
    expect(r).toMatchObject({ crop: { left: 500, top: 100, width: 1000, height: 500 }, width: 1000, height: 500 });
    const sq = planExport(2000, 1000, 'square', { rect: { left: 0.5, top: 0, width: 0.5, height: 1 } });
    expect(sq.crop).toEqual({ left: 1000, top: 0, width: 1000, height: 1000 });
    expect(sq).toMatchObject({ width: 1000, height: 1000 });
  });

  it('default crop: centred on the largest face, else a third from the top for portraits, the middle for landscapes', () => {
    expect(defaultFocus(1000, 1500)).toEqual({ x: 0.5, y: 1 / 3 });
    expect(defaultFocus(1500, 1000)).toEqual({ x: 0.5, y: 0.5 });
    const faces = [
      { left: 0.1, top: 0.1, width: 0.05, height: 0.05 },
      { left: 0.6, top: 0.2, width: 0.2, height: 0.2 },
    ];
    expect(defaultFocus(1000, 1000, faces)).toEqual({ x: 0.7, y: 0.30000000000000004 });
    const withFace = planExport(2000, 1000, 'square', undefined, faces);
    expect(withFace.crop.left).toBe(900); // centred on x = 1400, inside the photo
    const portrait = planExport(1000, 3000, 'square');
    expect(portrait.crop).toEqual({ left: 0, top: 500, width: 1000, height: 1000 }); // centred at y = 1000
  });
});
