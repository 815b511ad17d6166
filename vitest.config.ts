// One runner for the whole repo (docs/decisions/001-test-runner.md).
// unit: *.test.ts, pure logic, no servers. integration: *.int.test.ts, real InfluxDB/PostgreSQL
// started once per run by test/global-setup.ts, real broker sockets on free ports.
import { defineConfig } from 'vitest/config';

// web/src runs in its own project with a DOM; web/server is Node code like the services.
const exclude = ['node_modules/**', 'web/src/**', 'web/dist/**', '.data/**', '**/dist/**'];

export default defineConfig({
  test: {
    // Integration files share one InfluxDB and PostgreSQL; two files at a time suit a 2-core box.
    maxWorkers: 2,
    projects: [
      {
        // Some unit tests run a CLI or a small child process; 5 s (vitest's default) was too short
        // for those on a busy 2-core machine, though nothing in them is slow when it is quiet.
        test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...exclude, '**/*.int.test.ts'], testTimeout: 30_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude,
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The homeowner app's component tests: React in jsdom, no servers.
        esbuild: { jsx: 'automatic' },
        test: { name: 'web', include: ['web/src/**/*.test.{ts,tsx}'], environment: 'jsdom', setupFiles: ['web/src/test-setup.ts'] },
      },
    ],
  },
});
