#!/usr/bin/env node
/**
 * Builds the console into web/dist with esbuild: the bundle (split into hashed chunks under
 * assets/, cached for good by the server) and an index.html that loads it. esbuild rather than
 * vite/rollup: rollup's platform packages are not all on the registry this project installs from,
 * which breaks `npm ci`; esbuild's are (tsx needs it too).
 *
 * `node web/build.mjs` builds when web/dist is missing or older than its sources (so that
 * `npm ci && npm start` serves the console with no extra step); `--force` always builds;
 * `--watch` rebuilds on change for console development against a running server.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const dist = join(web, 'dist');
const stamp = join(dist, '.build-stamp');
const SOURCES = ['src', 'index.html', 'build.mjs', '../package-lock.json'];
const BASE = '/console/';

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

export function consoleIsStale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((s) => newest(join(web, s)) > built);
}

function options() {
  return {
    entryPoints: [join(web, 'src/main.tsx')],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: false,
    target: 'es2020',
    jsx: 'automatic',
    outdir: join(dist, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    publicPath: `${BASE}assets/`,
    metafile: true,
    logLevel: 'warning',
    define: { 'import.meta.env.BASE_URL': JSON.stringify(BASE), 'process.env.NODE_ENV': '"production"' },
    plugins: [{
      name: 'index-html',
      setup(build) {
        build.onEnd((result) => {
          if (!result.metafile) return;
          const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint)?.[0];
          if (!entry) return;
          const src = BASE + relative(dist, join(process.cwd(), entry)).split('\\').join('/');
          const html = readFileSync(join(web, 'index.html'), 'utf8')
            .replace(/<script type="module" src="[^"]*"><\/script>/, `<script type="module" src="${src}"></script>`);
          writeFileSync(join(dist, 'index.html'), html);
          writeFileSync(stamp, new Date().toISOString() + '\n');
        });
      },
    }],
  };
}

export async function buildConsole({ watch = false } = {}) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.warn('[openecs] esbuild is not installed: the console is not built; /console/ will say so.');
    return false;
  }
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const opts = options();
  if (watch) {
    const ctx = await esbuild.context(opts);
    await ctx.watch();
    console.log('[openecs] watching web/src; reload the console after a change');
    return true;
  }
  await esbuild.build(opts);
  console.log(`[openecs] console built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  const watch = process.argv.includes('--watch');
  if (force || watch || consoleIsStale()) {
    buildConsole({ watch }).catch((e) => { console.error(e); process.exit(1); });
  }
}
