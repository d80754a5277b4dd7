import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// A separate config: without it Vitest would load vite.config.ts, whose root is renderer/.
// Two projects: Node for shared/, electron/ and the simulator; happy-dom for renderer units.
export default defineConfig({
  plugins: [react()],
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    server: { deps: { inline: ['electron-store'] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'test/unit/shared/**/*.test.ts',
            'test/unit/electron/**/*.test.ts',
            'test/unit/lint/**/*.test.ts',
            'test/sim/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/unit/renderer/**/*.test.ts', 'test/unit/renderer/**/*.test.tsx'],
        },
      },
    ],
  },
});
