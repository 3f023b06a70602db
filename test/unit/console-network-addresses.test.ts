/**
 * The console's network address helpers, table-driven: prefix list entries parsed from the edit
 * text and the ModifyPrefixList AddEntry/RemoveEntry computed from an edit
 * (web/src/components/prefix-list-entries.ts), and the EIP page's status filter equal to the
 * server's EIP statuses.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EIP_STATUSES as SERVER_EIP_STATUSES } from '../../src/domain/eips.js';
import { entriesText, entryChanges, parseEntries, type EntryLine } from '../../web/src/components/prefix-list-entries.js';
import { EIP_STATUSES } from '../../web/src/components/status.js';

describe('console network addresses', () => {
  it('parses entry lines', () => {
    const cases: [string, EntryLine[]][] = [
      ['', []],
      ['10.0.0.0/8', [{ Cidr: '10.0.0.0/8' }]],
      ['  10.0.0.0/8   head office  \n\n192.168.1.0/24\n', [{ Cidr: '10.0.0.0/8', Description: 'head office' }, { Cidr: '192.168.1.0/24' }]],
      ['2001:db8::/32 v6', [{ Cidr: '2001:db8::/32', Description: 'v6' }]],
    ];
    for (const [text, want] of cases) assert.deepEqual(parseEntries(text), want, JSON.stringify(text));
  });

  it('writes entries back as the text it parses', () => {
    const entries = [{ Cidr: '10.0.0.0/8', Description: 'office' }, { Cidr: '192.168.1.0/24' }];
    assert.deepEqual(parseEntries(entriesText(entries)), entries);
  });

  it('computes the entries to add and remove', () => {
    const a = { Cidr: '10.0.0.0/8', Description: 'office' };
    const b = { Cidr: '192.168.1.0/24' };
    const c = { Cidr: '172.16.0.0/12', Description: 'lab' };
    const cases: [string, EntryLine[], EntryLine[], ReturnType<typeof entryChanges>][] = [
      ['unchanged', [a, b], [b, a], { AddEntry: [], RemoveEntry: [] }],
      ['one added', [a], [a, c], { AddEntry: [c], RemoveEntry: [] }],
      ['one removed', [a, b], [a], { AddEntry: [], RemoveEntry: [{ Cidr: b.Cidr }] }],
      ['replaced, one re-described', [a, b], [{ Cidr: a.Cidr, Description: 'hq' }, c], { AddEntry: [{ Cidr: a.Cidr, Description: 'hq' }, c], RemoveEntry: [{ Cidr: b.Cidr }] }],
      ['replaced', [a, b], [a, c], { AddEntry: [c], RemoveEntry: [{ Cidr: b.Cidr }] }],
      ['description changed', [a], [{ Cidr: a.Cidr, Description: 'hq' }], { AddEntry: [{ Cidr: a.Cidr, Description: 'hq' }], RemoveEntry: [] }],
      ['description dropped', [a], [{ Cidr: a.Cidr }], { AddEntry: [{ Cidr: a.Cidr }], RemoveEntry: [] }],
      ['all removed', [a, b], [], { AddEntry: [], RemoveEntry: [{ Cidr: a.Cidr }, { Cidr: b.Cidr }] }],
    ];
    for (const [name, current, wanted, want] of cases) assert.deepEqual(entryChanges(current, wanted), want, name);
  });

  it('filters EIPs by exactly the server\'s statuses', () => {
    assert.deepEqual([...EIP_STATUSES].sort(), [...SERVER_EIP_STATUSES].sort());
  });
});
