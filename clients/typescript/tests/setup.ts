// Points the generated client at the live server that scripts/live_server.py started.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

import { client } from '../src/client/client.gen';

export const baseUrl = process.env.CO2CALC_BASE_URL;
if (!baseUrl) {
  throw new Error(
    'CO2CALC_BASE_URL is not set: run the tests through the harness, ' +
      'e.g. `scripts/test-clients` or `uv run --no-sync python -m scripts.live_server -- npm test`',
  );
}

client.setConfig({ baseUrl });

afterEach(() => {
  cleanup();
});
