// The browser test (e2e/): Node drives Debian's Chromium with playwright-core against a live server
// that serves the built page at /app/ (scripts/test-browser starts one).
import { defineConfig, mergeConfig } from 'vitest/config';

import viteConfig from './vite.config.ts';

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'node',
      include: ['e2e/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      fileParallelism: false,
    },
  }),
);
