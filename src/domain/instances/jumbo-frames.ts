/**
 * Jumbo frames (MTU 8500 inside the VPC): the metadata's EnableJumboFrame (RunInstances
 * NetworkOptions, default true; ModifyInstanceAttribute) applies to the instance families that
 * support them — of the catalog's families, the 7th-generation enterprise ones (g7, c7, r7). Other
 * types run with the standard MTU, and asking to turn it on for them is refused.
 */
const SUPPORTING_FAMILIES = new Set(['ecs.g7', 'ecs.c7', 'ecs.r7']);

export function supportsJumboFrames(instanceType: string): boolean {
  return SUPPORTING_FAMILIES.has(instanceType.split('.').slice(0, 2).join('.'));
}

/** The setting a new instance gets: RunInstances' default (on) where the type supports it. */
export function launchJumboFrames(instanceType: string, requested: boolean | undefined): boolean {
  return supportsJumboFrames(instanceType) && requested !== false;
}
