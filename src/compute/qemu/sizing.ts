/**
 * Maps an ECS instance type onto what this host can give a guest. ECS types ask for GiBs of
 * memory and several vCPUs; a small host (or CI: 2 cores, guests under TCG) cannot, and the
 * guest image needs little. So memory is min(type, cap) with a floor the kernel needs, and vCPUs
 * are min(type, cap). Caps: OPENECS_QEMU_MAX_MEMORY_MIB (default 256), OPENECS_QEMU_MAX_VCPUS
 * (default 1: under TCG extra vCPUs only compete for the same host cores).
 */
export interface GuestSize { vcpus: number; memoryMiB: number }

export const MIN_MEMORY_MIB = 128;

export function guestSize(typeCpu: number, typeMemoryMiB: number, caps: { maxVcpus: number; maxMemoryMiB: number }): GuestSize {
  const vcpus = Math.max(1, Math.min(Math.floor(typeCpu) || 1, caps.maxVcpus));
  const memoryMiB = Math.max(MIN_MEMORY_MIB, Math.min(Math.floor(typeMemoryMiB) || MIN_MEMORY_MIB, caps.maxMemoryMiB));
  return { vcpus, memoryMiB };
}

export function sizeCapsFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const num = (v: string | undefined, d: number) => (v && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : d);
  return { maxVcpus: num(env.OPENECS_QEMU_MAX_VCPUS, 1), maxMemoryMiB: num(env.OPENECS_QEMU_MAX_MEMORY_MIB, 256) };
}
