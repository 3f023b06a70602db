/**
 * Reading answers typed from the spec, where every field is optional: the lists a page shows keep
 * the items that carry the fields the console keys rows and actions by (an item without its id
 * could be neither shown nor acted on), checked here at run time rather than asserted by a cast.
 */

/** `T` with the fields `K` present. */
export type Has<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined | null> };

/** The items of an answer's list that carry `keys`; a list the answer left out is empty. */
export function itemsWith<T, K extends keyof T>(list: readonly T[] | undefined, ...keys: K[]): Has<T, K>[] {
  return (list ?? []).filter((x): x is Has<T, K> => keys.every((k) => x[k] !== undefined && x[k] !== null));
}

/** Values of a string list an answer may leave out or pad (`VSwitchIds.VSwitchId`). */
export function stringsOf(list: readonly (string | undefined)[] | undefined): string[] {
  return (list ?? []).filter((x): x is string => typeof x === 'string');
}
