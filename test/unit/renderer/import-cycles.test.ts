/**
 * The renderer has no import cycles (issue 12: GalleryView ↔ RunDetail). A cycle makes the
 * order modules run in depend on who imports first, and hides which file owns what. The graph is
 * esbuild's, the bundler's own view of the imports.
 */
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';

describe('renderer imports', () => {
  it('form no cycle', async () => {
    const r = await build({
      entryPoints: ['renderer/main.tsx'],
      bundle: true,
      write: false,
      metafile: true,
      outdir: 'out',
      jsx: 'automatic',
      logLevel: 'silent',
      loader: { '.css': 'empty', '.png': 'empty', '.svg': 'empty', '.woff2': 'empty' },
    });
    const inputs = r.metafile.inputs;
    const graph = new Map<string, string[]>();
    for (const [file, v] of Object.entries(inputs)) {
      if (file.includes('node_modules')) continue;
      graph.set(file, v.imports.map((i) => i.path).filter((p) => p in inputs && !p.includes('node_modules')));
    }
    expect(graph.size).toBeGreaterThan(50);
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (n: string) => {
      state.set(n, 1);
      stack.push(n);
      for (const m of graph.get(n) ?? []) {
        if (state.get(m) === 1) cycles.push([...stack.slice(stack.indexOf(m)), m].join(' → '));
        else if (!state.has(m)) visit(m);
      }
      stack.pop();
      state.set(n, 2);
    };
    for (const n of graph.keys()) if (!state.has(n)) visit(n);
    expect(cycles).toEqual([]);
  });
});
