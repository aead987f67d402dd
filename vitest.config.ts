import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure, fast, no processes) and `integration`, which runs against real
// kube-apiservers and a real Backstage catalog started once by test/helpers/global-setup.ts.
// Integration files run one at a time: the machines here have 2 cores and each cluster is real.
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts', 'tools/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
