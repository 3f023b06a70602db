/**
 * Monitoring samples of a QEMU guest: cumulative counters read at intervals (the QEMU process's
 * CPU time from /proc, QMP block stats per disk, the tap's byte counters), appended as JSON lines
 * to `<instance>/monitor.jsonl` and trimmed to the retention. DescribeInstanceMonitorData and
 * DescribeDiskMonitorData turn two samples into rates (src/actions/monitoring.ts).
 */
import { readFile } from 'node:fs/promises';
import type { MonitorSample } from '../driver.js';

/** ECS keeps monitoring data for 30 days (older StartTime: InvalidStartTime.TooEarly). */
export const RETENTION_MS = 30 * 86_400_000;

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 100 Hz). */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]), stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / 100 : undefined;
}

export function parseSamples(text: string, since = 0): MonitorSample[] {
  const out: MonitorSample[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try { const s = JSON.parse(line) as MonitorSample; if (s.t >= since) out.push(s); } catch { /* a torn last line */ }
  }
  return out;
}
