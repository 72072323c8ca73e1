import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    // Node 20 has EventSource (which the API's subscription client needs) behind this flag;
    // newer versions that have it unflagged, or do not know the flag, run without it.
    execArgv: typeof (globalThis as { EventSource?: unknown }).EventSource === 'undefined' && process.allowedNodeEnvironmentFlags.has('--experimental-eventsource') ? ['--experimental-eventsource'] : [],
  },
});
