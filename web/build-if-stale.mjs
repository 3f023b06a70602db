#!/usr/bin/env node
/**
 * Builds the console (vite build) when web/dist is missing or older than its sources, so that
 * `npm ci && npm start` serves it on a fresh clone with no extra step. `--force` always builds.
 * Without vite (a production install that omitted devDependencies) it warns and leaves the
 * server to answer /console/ with a "not built" page.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const stamp = join(web, 'dist', '.build-stamp');
const SOURCES = ['src', 'index.html', 'vite.config.ts', '../package-lock.json'];

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

export async function buildConsole() {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    console.warn('[openecs] vite is not installed (devDependencies omitted?): the console is not built; /console/ will say so.');
    return false;
  }
  const started = Date.now();
  await vite.build({ configFile: join(web, 'vite.config.ts') });
  writeFileSync(stamp, new Date().toISOString() + '\n');
  console.log(`[openecs] console built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--force') || consoleIsStale()) {
    buildConsole().catch((e) => { console.error(e); process.exit(1); });
  }
}
