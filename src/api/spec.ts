/** Loads the generated API spec and answers which product and action a request names. */
import { readFileSync } from 'node:fs';
import type { ActionSpec, ApiSpecFile, ProductSpec } from './spec-types.js';
import { extensionSpec } from './extensions.js';
import { createRoleTag, ramTagActions } from './ram-tag-spec.js';

const specFile = new URL('./generated/api-spec.json', import.meta.url);
export const apiSpec: ApiSpecFile = JSON.parse(readFileSync(specFile, 'utf8'));
apiSpec.products.openecs = extensionSpec;
Object.assign(apiSpec.products.ram!.actions, ramTagActions);
if (!apiSpec.products.ram!.actions.CreateRole!.p.some((p) => p.n === 'Tag')) apiSpec.products.ram!.actions.CreateRole!.p.push(createRoleTag);

export type Product = 'ecs' | 'vpc' | 'sts' | 'ram' | 'bssopenapi' | 'resourcemanager' | 'actiontrail' | 'cms' | 'openecs';

export function productForVersion(version: string): Product | undefined {
  for (const [name, spec] of Object.entries(apiSpec.products)) if (spec.version === version) return name as Product;
  return undefined;
}

export function productSpec(product: Product): ProductSpec {
  return apiSpec.products[product]!;
}

export function actionSpec(product: Product, action: string): ActionSpec | undefined {
  return Object.hasOwn(apiSpec.products[product]!.actions, action) ? apiSpec.products[product]!.actions[action] : undefined;
}
