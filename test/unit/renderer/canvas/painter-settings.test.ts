// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  clampBrush,
  largerBrush,
  SettingsState,
  smallerBrush,
} from '../../../../renderer/features/canvas/painter-settings';

describe('painter settings', () => {
  it('starts from the options, normalised', () => {
    const s = new SettingsState({ brushSize: 0.2, overlayOpacity: -1 });
    expect(s.values).toEqual({
      tool: 'brush',
      brushSize: 1,
      overlayColor: '#ff2d6f',
      overlayOpacity: 0,
      maskVisible: true,
    });
  });

  it('applies a patch and names only the settings that really changed', () => {
    const s = new SettingsState({});
    expect([...s.apply({ tool: 'eraser', brushSize: 64.2, overlayOpacity: 2 })].sort()).toEqual([
      'overlayOpacity',
      'tool',
    ]);
    expect(s.values.overlayOpacity).toBe(1);
    expect(s.apply({ tool: 'eraser', panMode: true, usePressure: false }).size).toBe(0);
    expect([...s.apply({ maskVisible: false, overlayColor: 'tomato' })].sort()).toEqual([
      'maskVisible',
      'overlayColor',
    ]);
  });

  it('steps and clamps the brush', () => {
    expect(clampBrush(Number.NaN)).toBe(1);
    expect(clampBrush(1e9)).toBe(4096);
    expect(clampBrush(12.5)).toBe(13);
    expect(largerBrush(5)).toBe(6);
    expect(largerBrush(100)).toBe(120);
    expect(smallerBrush(10)).toBe(9);
    expect(smallerBrush(120)).toBe(100);
  });
});
