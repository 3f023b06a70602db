/**
 * Typed handler maps (src/actions/typed-handlers.ts). The `@ts-expect-error` lines are the proof
 * that matters, checked by `npm run typecheck` (tsc includes test/): if the types stopped rejecting
 * a misspelt response field, a wrong-typed field, an unknown action or a wrong request field, the
 * directive would be unused and tsc would fail. At run time the map is a plain HandlerMap.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ecsHandlers, openEcsHandlers, vpcHandlers, type EcsRequest, type ExcessFields } from '../../src/actions/typed-handlers.js';
import type { ActionContext } from '../../src/actions/types.js';

const ctx = {} as ActionContext;

const good = ecsHandlers({
  async CreateDisk(_ctx, p) {
    const size: number | undefined = p.Size;
    const region: string = p.RegionId;
    return { DiskId: `d-${region}-${size ?? 0}`, OrderId: '' };
  },
  async DescribeDisks(_ctx, p) {
    const ids: unknown = p.DiskIds;
    return { TotalCount: 0, PageNumber: p.PageNumber ?? 1, Disks: { Disk: [{ DiskId: String(ids), Size: 20, Portable: true }] } };
  },
});

ecsHandlers({
  // @ts-expect-error a misspelt response field (DiskID for DiskId) is not in the CreateDisk shape
  async CreateDisk() { return { DiskID: 'd-1' }; },
});

ecsHandlers({
  // @ts-expect-error Size is an integer in the DescribeDisks shape, not a string
  async DescribeDisks() { return { Disks: { Disk: [{ DiskId: 'd-1', Size: '20' }] } }; },
});

ecsHandlers({
  // @ts-expect-error a misspelt field deep in a list item is found too
  async DescribeDisks() { return { Disks: { Disk: [{ DiskId: 'd-1', Categroy: 'cloud' }] } }; },
});

ecsHandlers({
  // @ts-expect-error an action the ECS API does not have
  async CreateDisks() { return {}; },
});

// A handler written apart keeps its inferred answer and is checked where the map names it.
const describeApart = async (_ctx: ActionContext, p: EcsRequest<'DescribeDisks'>) => ({ TotalCount: 0, PageNumer: p.PageNumber });
ecsHandlers({
  // @ts-expect-error PageNumer is a misspelling of PageNumber
  DescribeDisks: describeApart,
});

vpcHandlers({
  async CreateVpc(_ctx, p) {
    // @ts-expect-error VpcNmae is not a CreateVpc parameter
    return { VpcId: p.VpcNmae };
  },
});

openEcsHandlers({
  // @ts-expect-error AdvanceClock answers Now as a string
  async AdvanceClock(_ctx, p) { return { Now: p.Seconds }; },
});

// ExcessFields lists the paths a handler's answer has beyond the shape.
const excess: ExcessFields<{ A: string; L: { B: number; C: number }[] }, { A?: string; L?: { B?: number }[] }> = '.L[].C';
const none: [ExcessFields<{ A: string; M: Record<string, unknown> }, { A?: string; M?: { X?: string } }>] extends [never] ? true : false = true;

describe('typed handler maps', () => {
  it('are plain handler maps at run time', async () => {
    assert.deepEqual(Object.keys(good), ['CreateDisk', 'DescribeDisks']);
    assert.deepEqual(await good.CreateDisk!(ctx, { RegionId: 'r', Size: 20 }), { DiskId: 'd-r-20', OrderId: '' });
    assert.equal(excess, '.L[].C');
    assert.equal(none, true);
  });
});
