/**
 * The primary ENI's MAC address, derived from the instance id so that DescribeInstances, the
 * metadata service, DHCP and the guest's NIC (qemu) all agree. 00:16:3e is the OUI ECS uses.
 */
export function macAddress(instanceId: string): string {
  let h = 0;
  for (const c of instanceId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const b = [0x00, 0x16, 0x3e, (h >>> 16) & 0x7f, (h >>> 8) & 0xff, h & 0xff];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}
