/**
 * The undo side of NetworkAddressModals, shared by the EIP and ENI pages and an instance's
 * detail: unassociate an EIP, detach an ENI. Both only start the change (Unassociating,
 * Detaching); the lists poll until it settles.
 */
import { Button, Popconfirm } from 'antd';
import type { Eip, NetworkInterface } from '../api/types';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';

export function UnassociateEipButton({ eip, onDone }: { eip: Eip; onDone(): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const go = async () => {
    const r = await run('Unassociate EIP', () => client.call('UnassociateEipAddress', {
      RegionId: region, AllocationId: eip.AllocationId, InstanceId: eip.InstanceId, InstanceType: eip.InstanceType || undefined,
    }), `Unassociating ${eip.IpAddress} from ${eip.InstanceId}`);
    if (r) onDone();
  };
  return (
    <Popconfirm title={`Unassociate ${eip.IpAddress} from ${eip.InstanceId}?`} onConfirm={go} okButtonProps={{ 'data-testid': 'confirm-unassociate-eip' }}>
      <Button size="small" loading={busy} disabled={eip.Status !== 'InUse'} data-testid="eip-unassociate">Unassociate</Button>
    </Popconfirm>
  );
}

export function DetachEniButton({ eni, onDone }: { eni: NetworkInterface; onDone(): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const go = async () => {
    const r = await run('Detach network interface', () => client.call('DetachNetworkInterface', {
      RegionId: region, NetworkInterfaceId: eni.NetworkInterfaceId, InstanceId: eni.InstanceId ?? '',
    }), `Detaching ${eni.NetworkInterfaceId} from ${eni.InstanceId}`);
    if (r) onDone();
  };
  return (
    <Popconfirm title={`Detach ${eni.NetworkInterfaceId} from ${eni.InstanceId}?`} onConfirm={go} okButtonProps={{ 'data-testid': 'confirm-detach-eni' }}>
      <Button size="small" loading={busy} disabled={eni.Type !== 'Secondary' || eni.Status !== 'InUse'} data-testid="eni-detach">Detach</Button>
    </Popconfirm>
  );
}
