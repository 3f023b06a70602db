import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  abandoned, contentPending, contentPlan, CONTENT_ATTEMPTS, exhausted, resizeIntent, SNAPSHOT_ATTEMPTS, type DiskIntent,
} from '../../src/domain/storage/disk-content.js';

const disk = (over: Partial<DiskIntent> = {}): DiskIntent => ({ status: 'In_use', size: 40, resize_from: 0, reset_snapshot_id: '', ...over });

describe('what a disk\'s bytes still owe its row', () => {
  const cases: [string, Partial<DiskIntent>, ReturnType<typeof contentPlan>, boolean][] = [
    ['nothing asked', {}, undefined, false],
    ['a resize from 20 to 40', { resize_from: 20 }, { resizeTo: 40 }, true],
    ['a reset', { reset_snapshot_id: 's-1' }, { resetTo: 's-1' }, true],
    ['a reset and a resize: reset first, then the size', { reset_snapshot_id: 's-1', resize_from: 20 }, { resetTo: 's-1', resizeTo: 40 }, true],
    ['ReIniting: no driver plan here (the disk reconciler drops the bytes), but an instance waits', { status: 'ReIniting' }, undefined, true],
    ['an Available disk with a reset', { status: 'Available', reset_snapshot_id: 's-2' }, { resetTo: 's-2' }, true],
  ];
  for (const [name, over, plan, pending] of cases) {
    it(name, () => {
      assert.deepEqual(contentPlan(disk(over)), plan);
      assert.equal(contentPending(disk(over)), pending);
    });
  }
});

describe('ResizeDisk intent', () => {
  const cases: [string, Partial<DiskIntent>, number, { size: number; resize_from: number }][] = [
    ['the first resize remembers the size the bytes have', { size: 40 }, 50, { size: 50, resize_from: 40 }],
    ['a second before the first applied keeps the size the bytes have', { size: 50, resize_from: 40 }, 60, { size: 60, resize_from: 40 }],
  ];
  for (const [name, over, newSize, want] of cases) it(name, () => assert.deepEqual(resizeIntent(disk(over), newSize), want));
});

describe('giving up a content change', () => {
  const cases: [string, Partial<DiskIntent>, { size: number; resize_from: number; reset_snapshot_id: string }, string[]][] = [
    ['a resize: back to the size of the bytes', { size: 50, resize_from: 40 }, { size: 40, resize_from: 0, reset_snapshot_id: '' }, ['In_use:resize-failed:40->50']],
    ['a reset: the bytes stay, the size too', { reset_snapshot_id: 's-1', status: 'Available' }, { size: 40, resize_from: 0, reset_snapshot_id: '' }, ['Available:reset-failed:s-1']],
    ['both', { size: 60, resize_from: 20, reset_snapshot_id: 's-9' }, { size: 20, resize_from: 0, reset_snapshot_id: '' }, ['In_use:reset-failed:s-9', 'In_use:resize-failed:20->60']],
    ['nothing pending: nothing recorded', {}, { size: 40, resize_from: 0, reset_snapshot_id: '' }, []],
  ];
  for (const [name, over, patch, events] of cases) it(name, () => assert.deepEqual(abandoned(disk(over)), { patch, events }));

  it('attempts: the last allowed failure gives up, not one before', () => {
    const rows: [number, number, boolean][] = [
      [0, CONTENT_ATTEMPTS, false], [CONTENT_ATTEMPTS - 2, CONTENT_ATTEMPTS, false], [CONTENT_ATTEMPTS - 1, CONTENT_ATTEMPTS, true],
      [SNAPSHOT_ATTEMPTS - 1, SNAPSHOT_ATTEMPTS, true], [0, 1, true],
    ];
    for (const [before, limit, out] of rows) assert.equal(exhausted(before, limit), out, `${before} of ${limit}`);
  });
});
