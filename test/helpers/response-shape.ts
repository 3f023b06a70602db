/**
 * Checks a JSON answer against the response shape the vendor metadata gives for the action
 * (src/api/shape-check.ts). Clients that decode strictly (Terraform's provider type-asserts,
 * Atoi-s integers) crash on a field of the wrong JSON type. `extra` names the fields a client
 * reads that the 2024-06 metadata snapshot lacks (DescribeImages `Usable`, which the provider
 * waits on), as `$.path` with `[]` for any list index.
 */
import { shapeProblems } from '../../src/api/shape-check.js';
import { actionSpec, type Product } from '../../src/api/spec.js';

export function shapeMismatches(action: string, body: unknown, extra: string[] = [], product: Product = 'ecs'): string[] {
  const spec = actionSpec(product, action);
  if (!spec?.r) throw new Error(`no response shape for ${product}:${action}`);
  return shapeProblems(body, spec.r)
    .filter((p) => !(p.problem === 'is not a field of this answer' && extra.includes(p.path.replace(/\[\d+\]/g, '[]'))))
    .map((p) => `${p.path} ${p.problem}`);
}
