// Build of the homeowner app: `vite build --config web/vite.config.ts` → web/dist.
// In development (`vite --config web/vite.config.ts`) /api is forwarded to a running web server.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': { target: process.env.EM_WEB_DEV_API ?? 'http://127.0.0.1:8080', changeOrigin: false } } },
});
