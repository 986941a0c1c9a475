// The dashboard is served by the API itself at /app/ (same origin: no CORS, relative URLs).
// `npm run dev` proxies /api (HTTP and the job socket) to a running server instead.
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const generated = (path: string) => fileURLToPath(new URL(`../src/client/${path}`, import.meta.url));
const backend = process.env.CO2CALC_BASE_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  resolve: {
    // The generated client, by the names a consumer of the package uses (see ../README.md).
    alias: [
      { find: /^@co2calculator\/client$/, replacement: generated('index.ts') },
      { find: /^@co2calculator\/client\/client$/, replacement: generated('client.gen.ts') },
      { find: /^@co2calculator\/client\/react-query$/, replacement: generated('@tanstack/react-query.gen.ts') },
    ],
    // The generated files live outside this package: make their `@tanstack/react-query` this
    // package's copy, so there is one QueryClient context.
    dedupe: ['@tanstack/react-query', 'react', 'react-dom'],
  },
  server: {
    proxy: { '/api': { target: backend, ws: true } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
});
