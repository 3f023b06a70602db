/**
 * Tenant isolation (issue 16 point 3): for every implemented action of every product, another
 * account using account A's ids gets the action's not-found answer — the same as for an id nobody
 * has, so nothing tells that A's resource exists — and a RAM user of A without any policy gets
 * Forbidden.RAM; no listing, tag search, task, image share or audit event shows A's resources,
 * and A's resources are the same afterwards. The outsiders: another account's root and a RAM user
 * with AdministratorAccess in another account (and, in the full-size run `TENANT_SWEEP_FULL=1`, the
 * operator's admin account and another account signing V3). The cases are test/helpers/tenant-cases.ts;
 * an implemented action without one fails here. `TENANT_SWEEP_DUMP=1` prints every call's answer.
 *
 * The web console has no API of its own (it calls this same RPC API, src/api/console.ts), so its
 * pages are covered by the listings swept here. The instance metadata service exists only on the
 * qemu driver's network and is not swept here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allHandlers } from '../../src/actions/index.js';
import { createAccount } from '../../src/auth/accounts.js';
import type { Product } from '../../src/api/spec.js';
import { AK, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { buildWorld, callerFor, CONSTANT_KEYS, ghostWorld, R, strict, type Answer, type Caller, type Params, type World } from '../helpers/tenant-world.js';
import { SWEEP, type SweepCase } from '../helpers/tenant-cases.js';

type Who = 'other account' | 'other account signing V3' | 'admin account' | 'RAM administrator of another account' | 'RAM user';

/** TENANT_SWEEP_FULL=1: the full-size run (also the admin account, and another account signing V3). */
const FULL = process.env.TENANT_SWEEP_FULL === '1';
interface Outcome { who: Who; product: Product; action: string; kind: string; params: Params; status: number; code: string; problem?: string }

const ERROR_KEYS = new Set(['RequestId', 'HostId', 'Code', 'Message', 'Recommend', 'AccessDeniedDetail']);

/**
 * The value as a whole token: `198.18.0.1` is not in `198.18.0.12` (another account's address from
 * the same pool), while `i-abc` is in `"i-abc"`, `instance/i-abc` and `i-abc.vpc`.
 */
function mentions(text: string, value: string): boolean {
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    if (!/[0-9A-Za-z]/.test(text[at - 1] ?? '') && !/[0-9A-Za-z]/.test(text[at + value.length] ?? '')) return true;
  }
  return false;
}

/** A's ids and names that an answer must not contain, unless the request itself named them. */
function leaks(a: World, answer: Answer, params: Params, known: readonly string[] = []): string[] {
  const asked = Object.values(params).join('\n');
  const found: string[] = [];
  for (const [k, v] of Object.entries(a)) {
    if (CONSTANT_KEYS.has(k) || known.includes(k) || !v || asked.includes(v)) continue;
    if (mentions(answer.text, v)) found.push(`${k}=${v}`);
  }
  if (!asked.includes(`${a.prefix}-`) && answer.text.includes(`${a.prefix}-`) && !found.length) found.push(`a name starting "${a.prefix}-"`);
  return found;
}

/** Every TotalCount in an answer, at any depth. */
function totalCounts(v: unknown, out: number[] = []): number[] {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'TotalCount' && (typeof x === 'number' || (typeof x === 'string' && /^\d+$/.test(x)))) out.push(Number(x));
      else totalCounts(x, out);
    }
  }
  return out;
}

/** The message with A's ids put back as the ghost's, to compare with the answer for ids nobody has. */
function asGhost(message: string, a: World, g: World): string {
  let m = message;
  for (const [k, v] of Object.entries(a).sort((x, y) => y[1].length - x[1].length)) if (!CONSTANT_KEYS.has(k) && v) m = m.split(v).join(g[k]!);
  return m;
}

describe('tenant isolation sweep', () => {
  let s: TestServer;
  let a: World;
  let b: World;
  let ghost: World;
  let asB: Caller;
  let asAdmin: Caller;
  /** In the full-size run, a sixth account signing V3 (its own world `z`: its audit trail must not name A's ids beforehand). */
  let asV3: Caller;
  let z: World;
  /** A RAM user with AdministratorAccess in a fifth account (its own world `e`). */
  let asRamAdmin: Caller;
  let e: World;
  /** The admin (root) account's own resources, for the calls that need one of the caller's. */
  let adminWorld: World;
  let asUser: Caller;
  let asA: Caller;
  let asRoot: Caller;
  let rootId: string;
  let delta: { accountId: string; accessKeyId: string; accessKeySecret: string };
  const outcomes: Outcome[] = [];
  /** Every request the sweep sent, the comparisons with ids nobody has included. */
  let requests = 0;
  const counted = (c: Caller): Caller => (product, action, params) => { requests++; return c(product, action, params); };
  let fingerprintBefore: string;

  /** What A's own reads answer, without request ids: equal before and after the sweep, or something of A changed. */
  async function fingerprint(): Promise<string> {
    const reads: [Product, string, Params][] = [
      ['ecs', 'DescribeInstances', { RegionId: R }],
      ['ecs', 'DescribeInstanceAttribute', { InstanceId: a.instance }],
      ['ecs', 'DescribeUserData', { RegionId: R, InstanceId: a.instance }],
      ['ecs', 'DescribeDisks', { RegionId: R }],
      ['ecs', 'DescribeSnapshots', { RegionId: R }],
      ['ecs', 'DescribeImages', { RegionId: R, ImageOwnerAlias: 'self' }],
      ['ecs', 'DescribeImageSharePermission', { RegionId: R, ImageId: a.image }],
      ['ecs', 'DescribeSecurityGroups', { RegionId: R }],
      ['ecs', 'DescribeSecurityGroupAttribute', { RegionId: R, SecurityGroupId: a.sg, Direction: 'all' }],
      ['ecs', 'DescribeKeyPairs', { RegionId: R }],
      ['ecs', 'DescribeNetworkInterfaces', { RegionId: R }],
      ['ecs', 'DescribeAutoSnapshotPolicyEx', { RegionId: R }],
      ['ecs', 'DescribeTasks', { RegionId: R }],
      ['ecs', 'ListTagResources', { RegionId: R, ResourceType: 'instance', 'ResourceId.1': a.instance }],
      ['ecs', 'DescribeInstanceRamRole', { RegionId: R, InstanceIds: JSON.stringify([a.instance]) }],
      ['vpc', 'DescribeVpcs', { RegionId: R }],
      ['vpc', 'DescribeVSwitches', { RegionId: R }],
      ['vpc', 'DescribeRouteEntryList', { RegionId: R, RouteTableId: a.routeTable }],
      ['vpc', 'ListTagResources', { RegionId: R, ResourceType: 'VPC', 'ResourceId.1': a.vpc }],
      ['ram', 'ListUsers', {}],
      ['ram', 'ListGroups', {}],
      ['ram', 'ListRoles', {}],
      ['ram', 'ListPolicies', { PolicyType: 'Custom' }],
      ['ram', 'ListPolicyVersions', { PolicyType: 'Custom', PolicyName: a.policy }],
      ['ram', 'ListEntitiesForPolicy', { PolicyType: 'Custom', PolicyName: a.policy }],
      ['ram', 'ListAccessKeys', { UserName: a.user }],
      ['ram', 'ListAccessKeys', { UserName: a.user2 }],
      ['ram', 'GetLoginProfile', { UserName: a.user2 }],
      ['ram', 'ListUsersForGroup', { GroupName: a.group }],
      ['ram', 'GetAccountAlias', {}],
      ['ram', 'GetPasswordPolicy', {}],
      ['ram', 'GetSecurityPreference', {}],
      ['ram', 'ListTagResources', { ResourceType: 'role' }],
      ['resourcemanager', 'ListResourceGroups', {}],
      ['resourcemanager', 'ListResources', {}],
      ['openecs', 'ListObjects', { RegionId: R, Bucket: a.bucket }],
    ];
    const out: string[] = [];
    for (const [product, action, params] of reads) {
      const r = await asA(product, action, params);
      assert.equal(r.status, 200, `A's own ${action}: ${r.text.slice(0, 300)}`);
      delete r.json.RequestId;
      out.push(`${product}:${action} ${JSON.stringify(r.json)}`);
    }
    return out.join('\n');
  }

  before(async () => {
    s = await startTestServer();
    const db = s.app.services.db;
    const alpha = await createAccount(db, 'alpha', s.clock.now());
    const beta = await createAccount(db, 'beta', s.clock.now());
    const credsA = { accessKeyId: alpha.accessKeyId, accessKeySecret: alpha.accessKeySecret };
    const credsB = { accessKeyId: beta.accessKeyId, accessKeySecret: beta.accessKeySecret };
    asRoot = callerFor(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    rootId = (await strict(asRoot)('sts', 'GetCallerIdentity', {})).AccountId;
    // A shares its image with a fourth account: neither B nor the admin may see it, that one must.
    delta = await createAccount(db, 'delta', s.clock.now());
    a = await buildWorld(s, credsA, alpha.accountId, 'alpha', { shareWith: delta.accountId });
    b = await buildWorld(s, credsB, beta.accountId, 'beta', { full: false });
    asA = callerFor(s.url, credsA);
    asB = counted(callerFor(s.url, credsB));
    asAdmin = counted(asRoot);
    if (FULL) {
      adminWorld = await buildWorld(s, { accessKeyId: AK, accessKeySecret: SECRET }, rootId, 'gamma', { full: false });
      const zeta = await createAccount(db, 'zeta', s.clock.now());
      const credsZ = { accessKeyId: zeta.accessKeyId, accessKeySecret: zeta.accessKeySecret };
      z = await buildWorld(s, credsZ, zeta.accountId, 'zeta', { full: false });
      asV3 = counted(callerFor(s.url, credsZ, 'v3'));
    }
    const epsilon = await createAccount(db, 'epsilon', s.clock.now());
    const credsE = { accessKeyId: epsilon.accessKeyId, accessKeySecret: epsilon.accessKeySecret };
    e = await buildWorld(s, credsE, epsilon.accountId, 'epsilon', { full: false });
    await strict(callerFor(s.url, credsE))('ram', 'CreateUser', { UserName: 'epsilon-admin' });
    await strict(callerFor(s.url, credsE))('ram', 'AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AdministratorAccess', UserName: 'epsilon-admin' });
    const adminKey = (await strict(callerFor(s.url, credsE))('ram', 'CreateAccessKey', { UserName: 'epsilon-admin' })).AccessKey;
    asRamAdmin = counted(callerFor(s.url, { accessKeyId: adminKey.AccessKeyId, accessKeySecret: adminKey.AccessKeySecret }));
    asUser = counted(callerFor(s.url, { accessKeyId: a.userAk!, accessKeySecret: a.userSecret! }));
    // Things of A that only others make: an operator's fault rule aimed at A, a RAM refusal's diagnostic.
    a.faultRule = (await strict(asRoot)('openecs', 'CreateFaultRule', { Product: 'ecs', ApiName: 'DescribeZones', AccountId: a.accountId, LatencyMs: '1', Count: '1000000' })).FaultRuleId;
    const refused = await asUser('ecs', 'DescribeInstanceAttribute', { InstanceId: a.instance });
    assert.equal(refused.code, 'Forbidden.RAM');
    a.diagnostic = refused.json.AccessDeniedDetail.EncodedDiagnosticMessage;
    ghost = ghostWorld(a);
    fingerprintBefore = await fingerprint();
  });

  after(async () => {
    const actions = new Set(outcomes.map((o) => `${o.product}:${o.action}`));
    const bad = outcomes.filter((o) => o.problem);
    const by = [...new Set(outcomes.map((o) => o.who))].map((w) => `${outcomes.filter((o) => o.who === w).length} by ${w === 'RAM user' ? 'a RAM user of A without policy' : `the ${w}`}`);
    console.log(`[tenant-isolation] ${actions.size} actions of ${new Set(outcomes.map((o) => o.product)).size} products swept: ${outcomes.length} calls checked `
      + `(${by.join(', ')}), `
      + `${requests} requests sent with the comparisons against ids nobody has, ${bad.length} violations`);
    if (process.env.TENANT_SWEEP_DUMP) for (const o of outcomes) console.log(`${o.who}\t${o.product}:${o.action}\t${o.kind}\t${o.status}\t${o.code}\t${o.problem ?? ''}\t${JSON.stringify(o.params)}`);
    await s?.close();
  });

  test('every implemented action of every product has a sweep case', () => {
    const missing: string[] = [];
    for (const [product, handlers] of Object.entries(allHandlers()) as [Product, Record<string, unknown>][]) {
      for (const action of Object.keys(handlers)) if (!SWEEP[product]?.[action]?.length) missing.push(`${product}:${action}`);
    }
    assert.deepEqual(missing, [], 'add these actions to test/helpers/tenant-cases.ts');
    const stale = Object.entries(SWEEP).flatMap(([product, cases]) => Object.keys(cases).filter((action) => !(allHandlers() as any)[product][action]).map((x) => `${product}:${x}`));
    assert.deepEqual(stale, [], 'cases for actions that are not implemented');
  });

  async function sweepOne(who: Who, call: Caller, mine: World, product: Product, action: string, c: SweepCase): Promise<void> {
    const params = c.p(a, mine);
    // The same call with ids nobody has, sent alongside: its answer is what A's ids must get.
    const compared = c.kind === 'missing' || c.kind === 'noop' ? call(product, action, c.p(ghost, mine)) : undefined;
    const r = await call(product, action, params);
    const o: Outcome = { who, product, action, kind: c.kind, params, status: r.status, code: r.code ?? '' };
    outcomes.push(o);
    const problems: string[] = [];
    // The admin lists the accounts (DescribeAccounts) and made A's fault rule: A's account id is no secret to it.
    const leaked = leaks(a, r, params, who === 'admin account' ? ['accountId'] : []);
    if (leaked.length) problems.push(`shows A's ${leaked.join(', ')}`);
    if (r.status >= 500) problems.push(`HTTP ${r.status}`);
    if (c.kind === 'missing') {
      if (r.status < 400) problems.push('succeeded');
      else if (c.code && ![c.code].flat().includes(r.code!)) problems.push(`expected ${[c.code].flat().join(' or ')}`);
      const g = (await compared)!;
      if (g.status !== r.status || g.code !== r.code) problems.push(`ids nobody has answer ${g.status} ${g.code}: the answer tells A's exist`);
      else if (r.message && g.message !== asGhost(r.message, a, ghost)) problems.push(`message differs from the one for ids nobody has: "${r.message}" vs "${g.message}"`);
    } else if (c.kind === 'noop') {
      const g = (await compared)!;
      const body = (x: Answer) => { const j = { ...x.json }; delete j.RequestId; return JSON.stringify(j); };
      if (r.status !== 200) problems.push(`expected success, got ${r.text.slice(0, 200)}`);
      else if (asGhost(body(r), a, ghost) !== body(g)) problems.push(`differs from the answer for ids nobody has: ${body(r).slice(0, 300)} vs ${body(g).slice(0, 300)}`);
    } else if (c.kind === 'listing') {
      if (r.status !== 200) problems.push(`expected a listing, got ${r.text.slice(0, 200)}`);
      else if (totalCounts(r.json).some((n) => n !== 0)) problems.push(`TotalCount ${totalCounts(r.json).join(',')} where nothing is B's`);
    } else if (c.kind === 'admin') {
      // A RAM identity is refused an operator action by RAM before the handler, whatever its
      // policy (or by the handler, for the ones RAM lets through: DescribeAccountQuotas).
      const expected = who.startsWith('RAM') ? ['Forbidden.RAM', 'Forbidden.NotAdmin'] : [c.code].flat();
      if (!expected.includes(r.code)) problems.push(`expected ${expected.join(' or ')}`);
    } else if (c.kind === 'global') {
      if (r.code !== c.code) problems.push(`expected ${c.code}`);
    }
    if (problems.length) o.problem = problems.join('; ');
  }

  /**
   * The audit trail first, while the caller's own events name none of A's ids (every later call
   * does, and a caller may read its own events); its own creates and settings last, so its names
   * never shadow A's during the checks.
   */
  async function sweepAs(who: Who, call: Caller, mine: World, skip: (c: SweepCase) => boolean = () => false) {
    const entries = Object.entries(SWEEP).flatMap(([product, cases]) => Object.entries(cases).flatMap(([action, list]) => list.map((c) => ({ product: product as Product, action, c }))));
    const rank = (x: { product: string; c: SweepCase }) => (x.product === 'actiontrail' ? 0 : x.c.kind === 'own' ? 2 : 1);
    for (const stage of [0, 1, 2]) {
      const todo = entries.filter((x) => rank(x) === stage && !skip(x.c));
      // Calls that change nothing run a few at a time; the caller's own creates and settings one by one.
      const width = stage === 1 ? 4 : 1;
      let next = 0;
      await Promise.all(Array.from({ length: width }, async () => {
        while (next < todo.length) { const x = todo[next++]!; await sweepOne(who, call, mine, x.product, x.action, x.c); }
      }));
    }
    const bad = outcomes.filter((o) => o.who === who && o.problem);
    assert.deepEqual(bad.map((o) => `${o.product}:${o.action} ${JSON.stringify(o.params)} → ${o.status} ${o.code}: ${o.problem}`), []);
  }

  test('another account using A\'s ids: the not-found answer, never success, never a hint that they exist', () => sweepAs('other account', asB, b));

  // The operator's admin account is a tenant like any other for the cloud APIs: its powers are the
  // OpenECS operator actions (accounts, quotas, fault rules), which are not swept as its.
  test('full size: the admin account using A\'s ids: the same answers as any other account', { skip: !FULL && 'TENANT_SWEEP_FULL=1 runs it' }, () => sweepAs('admin account', asAdmin, adminWorld, (c) => c.kind === 'admin'));

  test('a RAM administrator (AdministratorAccess) of another account using A\'s ids: the same answers', () => sweepAs('RAM administrator of another account', asRamAdmin, e));

  test('full size: another account signing V3', { skip: !FULL && 'TENANT_SWEEP_FULL=1 runs it' }, () => sweepAs('other account signing V3', asV3, z));

  test('a RAM user of A without any policy: Forbidden.RAM for every action, and no data', async () => {
    for (const [product, cases] of Object.entries(SWEEP) as [Product, Record<string, SweepCase[]>][]) {
      for (const [action, list] of Object.entries(cases)) {
        for (const c of list) {
          const params = c.p(a, b);
          const r = await asUser(product, action, params);
          const o: Outcome = { who: 'RAM user', product, action, kind: c.kind, params, status: r.status, code: r.code ?? '' };
          outcomes.push(o);
          if (product === 'sts' && action === 'GetCallerIdentity') {
            // Needs no permission (RAM documents it so): the caller's own identity only.
            if (r.status !== 200 || r.json.UserId === undefined || r.json.AccountId !== a.accountId || r.json.IdentityType !== 'RAMUser') o.problem = `not the caller's own identity: ${r.text.slice(0, 200)}`;
            continue;
          }
          if (product === 'openecs' && action === 'SignInWithPassword') {
            // Unauthenticated (the password is the credential): a wrong password reveals nothing.
            if (r.status < 400 || Object.keys(r.json ?? {}).some((k) => !ERROR_KEYS.has(k))) o.problem = `wrong password answered ${r.text.slice(0, 200)}`;
            continue;
          }
          const extra = Object.keys(r.json ?? {}).filter((k) => !ERROR_KEYS.has(k));
          if (c.self) {
            // Its own password: RAM lets a user change it without a policy (security preference).
            if (r.status === 200 || r.status >= 500 || extra.length) o.problem = `acting on itself answered ${r.text.slice(0, 200)}`;
            continue;
          }
          if (r.status !== 403 || r.code !== 'Forbidden.RAM') o.problem = `expected Forbidden.RAM 403`;
          else if (extra.length) o.problem = `the refusal carries ${extra.join(', ')}`;
        }
      }
    }
    const bad = outcomes.filter((o) => o.who === 'RAM user' && o.problem);
    assert.deepEqual(bad.map((o) => `${o.product}:${o.action} ${JSON.stringify(o.params)} → ${o.status} ${o.code}: ${o.problem}`), []);
  });

  test('A\'s resources are unchanged after the sweeps', async () => {
    assert.equal(await fingerprint(), fingerprintBefore);
  });

  test('an image shared with one account is seen by it, by no other', async () => {
    const shared = await strict(callerFor(s.url, { accessKeyId: delta.accessKeyId, accessKeySecret: delta.accessKeySecret }))('ecs', 'DescribeImages', { RegionId: R, ImageOwnerAlias: 'others' });
    assert.ok(shared.Images.Image.some((i: any) => i.ImageId === a.image), 'the account it is shared with sees it');
    for (const [who, call] of [['B', asB], ['the admin', asAdmin]] as const) {
      for (const alias of ['others', 'self', 'system', '']) {
        const r = await strict(call)('ecs', 'DescribeImages', { RegionId: R, ...(alias ? { ImageOwnerAlias: alias } : {}), PageSize: '100' });
        assert.ok(!JSON.stringify(r).includes(a.image), `DescribeImages ${alias || '(all)'} shows A's image to ${who}`);
      }
    }
  });

  test('the usage an account is shown is its own (DescribeAccountAttributes)', async () => {
    const attribute = async (call: Caller) => Number((await strict(call)('ecs', 'DescribeAccountAttributes', { RegionId: R, 'AttributeName.1': 'used-postpaid-instance-vcpu-count' }))
      .AccountAttributeItems.AccountAttributeItem[0].AttributeValues.ValueItem[0].Value);
    const vcpus = async (call: Caller) => ((await strict(call)('ecs', 'DescribeInstances', { RegionId: R, PageSize: '100' })).Instances.Instance as any[])
      .reduce((n, i) => n + Number(i.Cpu), 0);
    for (const call of [asA, asB]) {
      const own = await vcpus(call);
      assert.ok(own > 0);
      assert.equal(await attribute(call), own);
    }
  });

  test('a ClientToken is the account\'s own: the same token from another account is a new request', async () => {
    const params = { RegionId: R, VpcName: 'token-vpc', ClientToken: 'tenant-isolation-token' };
    const first = await strict(asA)('vpc', 'CreateVpc', params);
    const again = await strict(asA)('vpc', 'CreateVpc', params);
    assert.equal(again.VpcId, first.VpcId, 'A\'s own retry replays its answer');
    const other = await strict(asB)('vpc', 'CreateVpc', params);
    assert.notEqual(other.VpcId, first.VpcId, 'B got A\'s answer back');
    const mine = await strict(asB)('vpc', 'DescribeVpcs', { RegionId: R, VpcId: other.VpcId });
    assert.equal(mine.Vpcs.Vpc.length, 1, 'the VPC B got is B\'s');
    await strict(asA)('vpc', 'DeleteVpc', { VpcId: first.VpcId });
    await strict(asB)('vpc', 'DeleteVpc', { VpcId: other.VpcId });
  });

  test('a fault rule aimed at A answers A only', async () => {
    const rule = await strict(asRoot)('openecs', 'CreateFaultRule', { Product: 'ecs', ApiName: 'DescribeRegions', AccountId: a.accountId, ErrorCode: 'Throttling', Count: '2' });
    try {
      const forB = await asB('ecs', 'DescribeRegions', {});
      assert.equal(forB.status, 200, `B got A's fault: ${forB.text.slice(0, 200)}`);
      const forA = await asA('ecs', 'DescribeRegions', {});
      assert.equal(forA.code, 'Throttling', 'the rule did not reach A, so the check above proves nothing');
    } finally {
      await strict(asRoot)('openecs', 'DeleteFaultRule', { FaultRuleId: rule.FaultRuleId });
    }
  });

});
