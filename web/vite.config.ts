import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The dev server forwards /api to a running repflow (REPFLOW_API, default the server's own
// default port), so the browser sees one origin and the session cookie just works.
const api = process.env.REPFLOW_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: {
    // vue-i18n's esm-bundler build reads these; fixing them drops the legacy API from the bundle.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: { proxy: { '/api': { target: api, changeOrigin: false }, '/admin/api': { target: api, changeOrigin: false } } },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // ECharts alone is ~500 kB before gzip; keeping it in its own chunk lets the rep's phone,
    // which never shows a chart, skip it.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Name the shared libraries' chunks after what they hold: the Vue runtime every page
        // needs, and ECharts that only the dashboard loads.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
  },
})
