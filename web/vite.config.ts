import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into web/dist and served by Stitchboard itself at `/` (src/http/routes/ui.ts). In development,
// `vite --config web/vite.config.ts` proxies the API to a running `stitchboard serve` on :7007.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The UI ships no source maps: nothing in the bundle is secret, but there is no need to ship twice the bytes.
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:7007' } },
});
