/**
 * Prefix list entries as the console edits them: text, one entry a line (`CIDR` or `CIDR
 * description`), and the ModifyPrefixList AddEntry/RemoveEntry that turn the current entries into
 * the edited ones.
 */
export interface EntryLine { Cidr: string; Description?: string }

/** `CIDR [description]` lines; blank lines are skipped. */
export function parseEntries(text: string): EntryLine[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [cidr, ...rest] = l.split(/\s+/);
    return rest.length ? { Cidr: cidr!, Description: rest.join(' ') } : { Cidr: cidr! };
  });
}

export const entriesText = (entries: readonly EntryLine[]): string => entries.map((e) => (e.Description ? `${e.Cidr} ${e.Description}` : e.Cidr)).join('\n');

/**
 * A CIDR gone is removed, a new one added; a kept CIDR with a new description is added again,
 * not removed (ModifyPrefixList refuses a CIDR in both lists; adding an existing CIDR is its
 * documented way to change the description).
 */
export function entryChanges(current: readonly EntryLine[], wanted: readonly EntryLine[]): { AddEntry: EntryLine[]; RemoveEntry: { Cidr: string }[] } {
  const before = new Map(current.map((e) => [e.Cidr, e.Description ?? '']));
  const after = new Map(wanted.map((e) => [e.Cidr, e.Description ?? '']));
  const changed = new Set([...after].filter(([c, d]) => before.has(c) && before.get(c) !== d).map(([c]) => c));
  return {
    AddEntry: wanted.filter((e) => !before.has(e.Cidr) || changed.has(e.Cidr)),
    RemoveEntry: [...before.keys()].filter((c) => !after.has(c)).map((Cidr) => ({ Cidr })),
  };
}
