import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Browser and server suites start real processes; two workers fit this 2-core machine.
    maxWorkers: 2,
  },
});
