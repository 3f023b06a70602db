/** Builds the console into web/dist, served by the OpenECS server under /console/. */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: {
        // Separate long-lived vendor chunks so a console change does not re-download them.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          if (/recharts|d3-|victory|redux/.test(id)) return 'charts';
          if (/antd|@ant-design|rc-|@rc-component/.test(id)) return 'antd';
          return 'vendor';
        },
      },
    },
  },
  server: {
    // `npm run dev:console` proxies the API to a server on :8080.
    proxy: { '^/$': 'http://127.0.0.1:8080' },
  },
});
