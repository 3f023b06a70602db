/**
 * Handler maps typed by the generated spec (src/api/generated/<product>-types.ts):
 * `ecsHandlers({ async CreateDisk(ctx, p) { … } })` gives `p` the action's decoded request type and
 * checks the answer against its response shape. A name that is not an action of the product, a
 * field of the wrong type and a field the shape does not have are compile errors. TypeScript does
 * not check object literals returned from a contextually typed function for excess fields, so the
 * map's type computes them (`ExcessFields`) from each handler's inferred return type.
 * The result is a plain HandlerMap: the registry and the dispatcher do not change.
 */
import type { ActionTrailActions } from '../api/generated/actiontrail-types.js';
import type { CmsActions } from '../api/generated/cms-types.js';
import type { BssOpenApiActions } from '../api/generated/bssopenapi-types.js';
import type { EcsActions } from '../api/generated/ecs-types.js';
import type { OpenEcsActions } from '../api/generated/openecs-types.js';
import type { RamActions } from '../api/generated/ram-types.js';
import type { ResourceManagerActions } from '../api/generated/resourcemanager-types.js';
import type { StsActions } from '../api/generated/sts-types.js';
import type { VpcActions } from '../api/generated/vpc-types.js';
import type { ActionContext, HandlerMap } from './types.js';

interface ActionTypes {
  request: object;
  response: object;
}

export type TypedHandler<A extends ActionTypes> = (ctx: ActionContext, p: A['request']) => Promise<A['response']>;

type TypedMap<Spec> = { [K in keyof Spec]?: Spec[K] extends ActionTypes ? TypedHandler<Spec[K]> : never };

/**
 * The paths (`.Disks.Disk[].Bad`) of fields in T that the shape S does not have; never when T fits.
 * An object typed by an index signature (an untyped helper's `Record<string, unknown>`, or a
 * free-form map in the shape) and an `any` are not looked into.
 */
export type ExcessFields<T, S, P extends string = ''> =
  [T] extends [string | number | boolean | bigint | symbol | null | undefined] ? never
  : T extends readonly (infer TI)[] ? (S extends readonly (infer SI)[] ? ExcessFields<TI, SI, `${P}[]`> : never)
  : T extends object
    ? S extends readonly unknown[] ? never
      : S extends object
        ? string extends keyof S ? never
          : string extends keyof T ? never
            : { [K in keyof T & string]-?: K extends keyof S ? ExcessFields<T[K], NonNullable<S[K]>, `${P}.${K}`> : `${P}.${K}` }[keyof T & string]
        : never
    : never;

type Answer<F> = F extends (...args: any[]) => Promise<infer R> ? R : never;

type Checked<Spec, M> = {
  [K in keyof M]: K extends keyof Spec
    ? Spec[K] extends ActionTypes
      ? [ExcessFields<Answer<M[K]>, Spec[K]['response']>] extends [never] ? M[K] : `response field not in the spec: ${ExcessFields<Answer<M[K]>, Spec[K]['response']> & string}`
      : never
    : 'not an action of this product';
};

function typedHandlers<Spec>() {
  return <M extends TypedMap<Spec>>(handlers: M & Checked<Spec, M>): HandlerMap => handlers as unknown as HandlerMap;
}

export const ecsHandlers = typedHandlers<EcsActions>();
export const vpcHandlers = typedHandlers<VpcActions>();
export const stsHandlers = typedHandlers<StsActions>();
export const ramHandlers = typedHandlers<RamActions>();
export const bssOpenApiHandlers = typedHandlers<BssOpenApiActions>();
export const resourceManagerHandlers = typedHandlers<ResourceManagerActions>();
export const actionTrailHandlers = typedHandlers<ActionTrailActions>();
export const cmsHandlers = typedHandlers<CmsActions>();
export const openEcsHandlers = typedHandlers<OpenEcsActions>();

/**
 * One action's request or response type by name, for handlers and helpers written apart from a
 * map. Such a handler takes `p: EcsRequest<'X'>` and leaves its return type inferred: annotated
 * `Promise<EcsResponse<'X'>>`, its returned literals would no longer be checked for excess fields.
 */
export type EcsRequest<A extends keyof EcsActions> = EcsActions[A]['request'];
export type EcsResponse<A extends keyof EcsActions> = EcsActions[A]['response'];
export type VpcRequest<A extends keyof VpcActions> = VpcActions[A]['request'];
export type VpcResponse<A extends keyof VpcActions> = VpcActions[A]['response'];
export type OpenEcsRequest<A extends keyof OpenEcsActions> = OpenEcsActions[A]['request'];
export type OpenEcsResponse<A extends keyof OpenEcsActions> = OpenEcsActions[A]['response'];
