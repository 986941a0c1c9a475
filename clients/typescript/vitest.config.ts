import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'jsdom',
    include: ['tests/**/*.test.{ts,tsx}'],
    setupFiles: ['tests/setup.ts'],
    // The tests talk to a real server over loopback; allow for a cold first request.
    testTimeout: 15_000,
    typecheck: { enabled: false },
  },
});
