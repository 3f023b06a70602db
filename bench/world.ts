/**
 * What the API benchmark runs against: a server process on a bench store, the network its
 * instances need (spread over VSwitches and groups so 100,000 instances fit), signed request
 * URLs, and a wait for the engine to finish its first look at every new instance.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, AK, SECRET, makeClients } from '../test/helpers/server.js';
import { freePort, spawnServer, type ServerProcess } from '../test/helpers/process.js';
import { v2Sign, v2StringToSign } from '../src/api/signature.js';
import { connectStore } from '../src/store/db.js';
import type { BenchStore } from './stores.js';

const REGION = 'cn-hangzhou';
/** Instances per VSwitch (a /16 holds 65,532) and per advanced group (65,536): a quarter of either. */
export const PER_VSWITCH = 25_000;

let nonce = 0;
export function signedUrl(base: string, params: Record<string, string>): string {
  const all: Record<string, string> = {
    Format: 'JSON', Version: '2014-05-26', AccessKeyId: AK, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    SignatureNonce: `bench-${process.pid}-${++nonce}`, Timestamp: new Date().toISOString().slice(0, 19) + 'Z', ...params,
  };
  all.Signature = v2Sign(v2StringToSign('GET', all), SECRET);
  return `${base}/?${new URLSearchParams(all)}`;
}

/** A bare node:http handler answering every request with `body` (bare-server.ts), in its own process. */
export async function startBare(body: string): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const file = join(mkdtempSync(join(tmpdir(), 'openecs-bare-')), 'body.json');
  writeFileSync(file, body);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bare-server.ts', import.meta.url))], {
    env: { ...process.env, PORT: String(port), BARE_BODY_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => { if (String(d).includes('listening')) resolve(); }));
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

/** CPU time (user + system) a process has used, in ms: what a call costs whatever else the host runs. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export class BenchServer {
  server!: ServerProcess;
  private port = 0;
  private profile: string[];

  constructor(readonly store: BenchStore) {
    // OPENECS_BENCH_PROFILE=DIR writes a V8 CPU profile of each server process there.
    this.profile = process.env.OPENECS_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.OPENECS_BENCH_PROFILE}`] : [];
  }

  get url() { return this.server.url; }
  get pid() { return this.server.child.pid!; }

  /** (Re)starts the server; `cache` false serves every read anew (OPENECS_READ_CACHE_MB=0). */
  async start(cache: boolean): Promise<void> {
    if (this.server) await this.server.stop();
    this.port ||= await freePort();
    this.server = await spawnServer({
      ...this.store.env, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET,
      // A long transition keeps the engine quiet once it has looked at each instance.
      OPENECS_SIM_DELAY_MS: '3600000',
      ...(cache ? {} : { OPENECS_READ_CACHE_MB: '0' }),
    }, this.port, this.profile);
  }

  async stop(): Promise<void> { await this.server?.stop(); }
}

export interface World { imageId: string; vswitchIds: string[]; groupIds: string[] }

/** A VPC 10.0.0.0/8 with one /16 VSwitch and one advanced group per PER_VSWITCH instances. */
export async function buildWorld(url: string, instances: number): Promise<World> {
  const c = makeClients(url, { accessKeyId: AK, accessKeySecret: SECRET });
  const zoneId = (await c.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: REGION }))).body!.zones!.zone![0]!.zoneId!;
  const vpcId = (await c.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
  const images = (await c.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: REGION, imageOwnerAlias: 'system', pageSize: 100 }))).body!.images!.image!;
  const imageId = images.find((i) => i.OSType === 'linux')!.imageId!;
  const world: World = { imageId, vswitchIds: [], groupIds: [] };
  for (let i = 0; i < Math.max(1, Math.ceil(instances / PER_VSWITCH)); i++) {
    world.vswitchIds.push((await c.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId, cidrBlock: `10.${i}.0.0/16` }))).body!.vSwitchId!);
    world.groupIds.push((await c.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId, securityGroupType: 'enterprise' }))).body!.securityGroupId!);
  }
  return world;
}

/** The i-th RunInstances call (Amount=100): batches go round the VSwitches, as a fleet spread over zones would. */
export function runUrl(url: string, w: World, i: number): string {
  const k = i % w.vswitchIds.length;
  return signedUrl(url, {
    Action: 'RunInstances', RegionId: REGION, ImageId: w.imageId, InstanceType: 'ecs.g7.large', VSwitchId: w.vswitchIds[k]!,
    SecurityGroupId: w.groupIds[k]!, Amount: '100', InstanceName: `bench-${i}-[1,3]`, 'Tag.1.Key': 'bench', 'Tag.1.Value': String(i % 10),
    ClientToken: `bench-${w.vswitchIds[0]}-${i}`,
  });
}

export function describeUrl(url: string, page: number): string {
  return signedUrl(url, { Action: 'DescribeInstances', RegionId: REGION, PageSize: '100', PageNumber: String(page) });
}

/**
 * Waits until no operation is due (the engine has taken its first look at every new instance and
 * set each to look again when its hour-long transition ends), so the engine is quiet while the
 * API is measured. Reads the store directly: how busy the engine is is not an API answer.
 */
export class EngineWatch {
  private db: Awaited<ReturnType<typeof connectStore>> | undefined;
  constructor(private readonly store: BenchStore) {}

  /** Milliseconds waited. */
  async idle(timeoutMs = 900_000): Promise<number> {
    this.db ??= await connectStore({ dataDir: this.store.dataDir, databaseUrl: this.store.databaseUrl });
    const t0 = Date.now();
    for (;;) {
      const r = await this.db.selectFrom('operations').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending').where('due_at', '<=', Date.now() + 60_000).executeTakeFirst();
      if (Number(r?.n ?? 0) === 0) return Date.now() - t0;
      if (Date.now() - t0 > timeoutMs) throw new Error(`the engine still has ${r?.n} operations due after ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  async close(): Promise<void> { await this.db?.destroy(); this.db = undefined; }
}
