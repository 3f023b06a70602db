/**
 * The layers' boundaries, checked on the source: the domain knows no layer around it (it is pure
 * rules and the ECS error type), the store, the engine, the network and the compute drivers know
 * nothing of HTTP (src/api) or of handlers (src/actions), and host networking runs commands through
 * src/host, not through a compute driver. A new import across a boundary fails here, naming the
 * file and the import.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

/** Every relative module a file names: imports, `export … from`, `import()` calls and `import('…')` types. */
export function importsOf(file: string, text = readFileSync(join(root, file), 'utf8')): string[] {
  const names = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  return names.filter((n) => n.startsWith('.'))
    .map((n) => relative(root, resolve(root, dirname(file), n)).replace(/\.js$/, ''));
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + '/');

interface Boundary { from: string; allowed?: string[]; forbidden?: string[]; why: string }

const boundaries: Boundary[] = [
  { from: 'src/domain', allowed: ['src/domain'], why: 'the domain is pure rules: it imports no other layer' },
  ...['src/store', 'src/engine', 'src/network', 'src/compute', 'src/host'].map((from): Boundary => ({
    from, forbidden: ['src/api', 'src/actions'], why: 'below the API: errors come from src/domain/errors, not src/api',
  })),
  { from: 'src/network', forbidden: ['src/compute/qemu'], why: 'host commands run through src/host, not a compute driver' },
  { from: 'src/host', allowed: ['src/host'], why: 'host command execution depends on nothing of OpenECS' },
];

function violations(b: Boundary, files: string[], importsOfFile: (f: string) => string[]): string[] {
  const out: string[] = [];
  for (const f of files.filter((f) => inside(f, b.from))) {
    for (const target of importsOfFile(f)) {
      const bad = b.allowed ? !b.allowed.some((d) => inside(target, d)) : b.forbidden!.some((d) => inside(target, d));
      if (bad) out.push(`${f} imports ${target}`);
    }
  }
  return out;
}

describe('layering', () => {
  it('finds every kind of import (so the scan below can fail)', () => {
    const text = [
      "import { EcsError } from '../api/errors.js';",
      "import type { Db } from '../store/db.js';",
      "export { x } from '../actions/x.js';",
      "const m = await import('../compute/qemu/exec.js');",
      "type T = import('../api/spec.js').Product;",
      "import { readFile } from 'node:fs/promises';",
    ].join('\n');
    assert.deepEqual(importsOf('src/domain/probe.ts', text),
      ['src/api/errors', 'src/store/db', 'src/actions/x', 'src/compute/qemu/exec', 'src/api/spec']);
    const fake = (f: string) => (f === 'src/store/a.ts' ? ['src/api/errors'] : f === 'src/network/n.ts' ? ['src/compute/qemu/exec'] : ['src/domain/ids']);
    const files = ['src/store/a.ts', 'src/network/n.ts', 'src/domain/d.ts'];
    assert.deepEqual(boundaries.flatMap((b) => violations(b, files, fake)),
      ['src/store/a.ts imports src/api/errors', 'src/network/n.ts imports src/compute/qemu/exec']);
  });

  const files = sources('src');
  for (const b of boundaries) {
    it(`${b.from} ${b.allowed ? `imports only ${b.allowed.join(', ')}` : `does not import ${b.forbidden!.join(', ')}`} (${b.why})`, () => {
      assert.deepEqual(violations(b, files, importsOf), []);
    });
  }
});
