/** Power and release actions of one instance, enabled by its state (Running/Stopped). */
import { Button, Popconfirm, Space } from 'antd';
import type { Instance } from '../api/types';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { isExpiryLocked } from './subscription';

export function InstanceActions({ instance: i, onDone, size = 'small' }: { instance: Instance; onDone(): void; size?: 'small' | 'middle' }) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const act = async (label: string, fn: () => Promise<unknown>) => { if (await run(label, fn)) onDone(); };
  const running = i.Status === 'Running';
  const stopped = i.Status === 'Stopped';
  // Stopped for expiry: the server refuses a start (InstanceExpired) until a renewal.
  const locked = isExpiryLocked(i);
  return (
    <Space size={4} wrap>
      <Button size={size} disabled={!stopped || locked || busy} title={locked ? 'Stopped for expiry: renew it to start it again' : undefined} data-testid="start"
        onClick={() => act('Start', () => client.call('StartInstance', { InstanceId: i.InstanceId }))}>Start</Button>
      <Popconfirm title={`Stop ${i.InstanceId}?`} okButtonProps={{ 'data-testid': 'confirm-stop' }}
        onConfirm={() => act('Stop', () => client.call('StopInstance', { InstanceId: i.InstanceId }))}>
        <Button size={size} disabled={!running || busy} data-testid="stop">Stop</Button>
      </Popconfirm>
      <Popconfirm title={`Restart ${i.InstanceId}?`}
        onConfirm={() => act('Restart', () => client.call('RebootInstance', { InstanceId: i.InstanceId }))}>
        <Button size={size} disabled={!running || busy} data-testid="reboot">Restart</Button>
      </Popconfirm>
      <Popconfirm title={`Release ${i.InstanceId}? Its system disk and the disks set to be released with it are deleted.`}
        okButtonProps={{ danger: true, 'data-testid': 'confirm-release' }}
        onConfirm={() => act('Release', () => client.call('DeleteInstance', { InstanceId: i.InstanceId, Force: running ? true : undefined }))}>
        <Button size={size} danger disabled={busy || i.Status === 'Pending' || i.Status === 'Starting' || i.Status === 'Stopping'} data-testid="release">Release</Button>
      </Popconfirm>
    </Space>
  );
}
