import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'

// Browser tests: one file, one Chromium, one repflow server, run in sequence (the machine is
// small and shared; parallel browsers would only make the timings noisy).
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 420_000,
    // What the page shows after a click arrives in a few hundred milliseconds here, but the machine
    // is shared: vitest's default poll of 1 s failed a list that filled in later (CI, 2026-11-26).
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
})
