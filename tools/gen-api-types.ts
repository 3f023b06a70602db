/**
 * Writes src/api/generated/<product>-types.ts from src/api/generated/api-spec.json and the
 * extension actions: the request and response type of every action, which typed handler maps
 * (src/actions/typed-handlers.ts) check handlers against. Run after gen-api-spec: npm run gen:spec
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAllTypes } from './api-types-render.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../src/api/generated');
const files = renderAllTypes(JSON.parse(readFileSync(join(dir, 'api-spec.json'), 'utf8')));
for (const [name, text] of files) writeFileSync(join(dir, name), text);
console.log(`wrote ${[...files].map(([n, t]) => `${n} (${Math.round(t.length / 1024)} KiB)`).join(', ')} in ${dir}`);
