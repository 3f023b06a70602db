/**
 * The generated request/response types (src/api/generated/<product>-types.ts) against the spec
 * they come from: regenerated in memory, they must equal the committed files (run
 * `npm run gen:spec` when this fails), and the request types must say what decodeParams hands a
 * handler for the wire forms (`X.N` lists, `X.N.F` objects, JSON-style values, required names).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { decodeParams } from '../../src/api/params.js';
import { renderAllTypes, renderProductTypes } from '../../tools/api-types-render.js';
import type { ApiSpecFile, ProductSpec } from '../../src/api/spec-types.js';

const dir = new URL('../../src/api/generated/', import.meta.url);
const specFile: ApiSpecFile = JSON.parse(readFileSync(new URL('api-spec.json', dir), 'utf8'));

describe('generated API types', () => {
  it('are up to date with api-spec.json and the extension actions (npm run gen:spec)', () => {
    const expected = renderAllTypes(specFile);
    const committed = readdirSync(dir).filter((f) => f.endsWith('-types.ts')).sort();
    assert.deepEqual(committed, [...expected.keys()].sort(), 'one types file per product, none left over');
    for (const [name, text] of expected) {
      assert.ok(readFileSync(new URL(name, dir), 'utf8') === text, `src/api/generated/${name} is stale: run npm run gen:spec`);
    }
  });

  it('cover every action of every product', () => {
    for (const [product, spec] of Object.entries(specFile.products)) {
      const text = renderAllTypes(specFile).get(`${product}-types.ts`)!;
      for (const action of Object.keys(spec.actions)) assert.match(text, new RegExp(`^  ${action}: \\{$`, 'm'), `${product}:${action}`);
    }
  });

  const sample: ProductSpec = {
    version: '2000-01-01',
    actions: {
      Act: {
        p: [
          { n: 'RegionId', t: 'string', r: 1 },
          { n: 'Size', t: 'integer' },
          { n: 'Ratio', t: 'number' },
          { n: 'DryRun', t: 'boolean' },
          { n: 'Kind', t: 'string', e: ['a', 'b'] },
          { n: 'Level', t: 'integer', e: ['1', '2'] },
          { n: 'Id', t: 'array', s: 'repeatList', items: { t: 'string' } },
          { n: 'Tag', t: 'array', s: 'repeatList', items: { t: 'object', props: { Key: { t: 'string', r: 1 }, key: { t: 'string' }, Value: { t: 'string' } } } },
          { n: 'Disk', t: 'object', s: 'flat', props: { Size: { t: 'integer' } } },
          { n: 'SystemDisk.Category', t: 'string' },
          { n: 'Names', t: 'array', s: 'simple', items: { t: 'string' } },
          { n: 'Config', t: 'object', s: 'json' },
          { n: 'Free', t: 'object' },
        ],
        e: {},
        r: { Id: 's', Count: 'i', Ok: 'b', Items: { Item: [{ Name: 's' }] }, Raw: [], Map: {} },
      },
    },
  };

  it('say what decodeParams gives: required names, scalars, X.N arrays, X.F objects, JSON values', () => {
    const text = renderProductTypes('ecs', sample);
    const expect = [
      'RegionId: string;', 'Size?: number;', 'Ratio?: number;', 'DryRun?: boolean;', 'Kind?: "a" | "b";', 'Level?: 1 | 2;',
      'Id?: string[];', '"SystemDisk.Category"?: string;', 'Names?: string[];', 'Config?: unknown;', 'Free?: unknown;',
      'Count?: number;', 'Ok?: boolean;', 'Raw?: unknown[];', 'Map?: Record<string, unknown>;',
    ];
    for (const line of expect) assert.ok(text.includes(line), `${line} in\n${text}`);
    // The lower-case legacy twin is folded into Key by decodeParams; a required field of an item stays required.
    assert.match(text, /Tag\?: \{\n\s+Key: string;\n\s+Value\?: string;\n\s+\}\[\];/);
    assert.match(text, /Disk\?: \{\n\s+Size\?: number;\n\s+\};/);
    assert.match(text, /Items\?: \{\n\s+Item\?: \{\n\s+Name\?: string;\n\s+\}\[\];\n\s+\};/);
  });

  it('match the values decodeParams produces for the same spec', () => {
    const decoded = decodeParams(sample.actions.Act!, {
      RegionId: 'r', Size: '3', Ratio: '1.5', DryRun: 'true', Kind: 'a', Level: '2', 'Id.1': 'x', 'Id.2': 'y',
      'Tag.1.Key': 'k', 'Tag.1.Value': 'v', 'Disk.Size': '20', 'SystemDisk.Category': 'cloud', Names: 'a,b', Config: '{"a":[1]}', Free: '{"z":1}',
    });
    assert.deepEqual(decoded, {
      RegionId: 'r', Size: 3, Ratio: 1.5, DryRun: true, Kind: 'a', Level: 2, Id: ['x', 'y'], Tag: [{ Key: 'k', Value: 'v' }],
      Disk: { Size: 20 }, 'SystemDisk.Category': 'cloud', Names: ['a', 'b'], Config: { a: [1] }, Free: { z: 1 },
    });
  });

  it('are deterministic', () => {
    assert.equal(renderProductTypes('ecs', sample), renderProductTypes('ecs', structuredClone(sample)));
  });
});
