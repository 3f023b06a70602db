/**
 * Monitoring of running guests: one sample per interval (default a minute, ECS's finest Period)
 * of each guest's CPU time, block statistics (QMP) and tap counters, appended to
 * `<instanceId>/monitor.jsonl` and trimmed to the retention (monitor.ts parses it).
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MonitorSample } from '../driver.js';
import type { Netns } from '../../network/netns.js';
import { INSTANCE_DIR, type QemuLayout } from './layout.js';
import { RETENTION_MS, parseSamples, processCpuSeconds } from './monitor.js';
import { withQmp } from './qmp.js';

export interface QemuSamplerOptions {
  layout: QemuLayout;
  netns: Netns;
  env: NodeJS.ProcessEnv;
  /** false: no periodic samples (tests and CLI drivers that only look). */
  periodic: boolean;
}

export class QemuSampler {
  private readonly layout: QemuLayout;
  private readonly netns: Netns;
  private timer?: NodeJS.Timeout;
  private sampling = false;

  constructor(o: QemuSamplerOptions) {
    this.layout = o.layout;
    this.netns = o.netns;
    const every = Number(o.env.OPENECS_MONITOR_INTERVAL_MS || 60_000);
    if (every > 0 && o.periodic) {
      this.timer = setInterval(() => void this.sampleAll(), every);
      this.timer.unref();
    }
  }

  /** Appends one monitoring sample per running guest. */
  async sampleAll(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      for (const id of await this.layout.instanceIds()) await this.sample(id).catch(() => {});
    } finally { this.sampling = false; }
  }

  async sample(instanceId: string): Promise<MonitorSample | undefined> {
    const pid = await this.layout.pid(instanceId);
    const rec = await this.layout.record(instanceId);
    if (!pid || !rec) return undefined;
    const cpuSeconds = await processCpuSeconds(pid);
    if (cpuSeconds === undefined) return undefined;
    const s: MonitorSample = { t: Date.now(), cpuSeconds, vcpus: rec.vcpus, netRxBytes: 0, netTxBytes: 0, disks: {} };
    for (const b of await withQmp(rec.qmpSocket, (c) => c.blockStats()).catch(() => [])) {
      const st = b.stats as typeof b.stats & { rd_total_time_ns?: number; wr_total_time_ns?: number };
      if (!b.device) continue;
      s.disks[b.device] = { readBytes: st.rd_bytes, writeBytes: st.wr_bytes, readOps: st.rd_operations, writeOps: st.wr_operations, readNs: st.rd_total_time_ns ?? 0, writeNs: st.wr_total_time_ns ?? 0 };
    }
    if (rec.tap) {
      // The host side of a tap receives what the guest sends.
      const link = await this.netns.ip(['-s', '-j', 'link', 'show', 'dev', rec.tap]).then((r) => JSON.parse(r.stdout)[0], () => undefined);
      s.netTxBytes = Number(link?.stats64?.rx?.bytes ?? 0);
      s.netRxBytes = Number(link?.stats64?.tx?.bytes ?? 0);
    }
    const file = join(this.layout.dir(instanceId), 'monitor.jsonl');
    await appendFile(file, JSON.stringify(s) + '\n');
    // Trim to the retention now and then (the file grows by a line a minute).
    if (Math.random() < 0.01) {
      const kept = parseSamples(await readFile(file, 'utf8'), Date.now() - RETENTION_MS);
      await writeFile(file, kept.map((k) => JSON.stringify(k) + '\n').join(''));
    }
    return s;
  }

  async monitorSamples(instanceId: string, since: number): Promise<MonitorSample[]> {
    if (!INSTANCE_DIR.test(instanceId)) return [];
    return parseSamples(await readFile(join(this.layout.dir(instanceId), 'monitor.jsonl'), 'utf8').catch(() => ''), since);
  }

  async blockStats(instanceId: string) {
    const rec = await this.layout.record(instanceId);
    if (!rec || !(await this.layout.pid(instanceId))) return [];
    return withQmp(rec.qmpSocket, (c) => c.blockStats());
  }

  close() {
    if (this.timer) clearInterval(this.timer);
  }
}
