/** One instance: details (billing too), actions, attribute edits, renewal, monitoring, its system events. */
import { Button, Descriptions, Result, Space, Spin, Tabs } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Instance } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ChargeInfo } from '../components/ChargeInfo';
import { InstanceActions } from '../components/InstanceActions';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { TagList } from '../components/TagList';
import { useConsole } from '../hooks/console';
import { useApiData } from '../hooks/useApiData';
import { usePolling } from '../hooks/usePolling';
import { Link } from '../router';
import { AutoReleaseModal, CreateImageModal, KeyPairModal, ModifyAttributeModal } from './InstanceModals';
import { Events } from './Events';
import { InstanceMonitoring } from './InstanceMonitoring';
import { InstanceNetwork } from './InstanceNetwork';
import { SubscriptionActions } from './SubscriptionActions';
import { gib, ipsOf } from './Instances';

type ModalKind = 'modify' | 'release' | 'keypair' | 'image';

export function InstanceDetail({ id }: { id: string }) {
  const { client, region } = useConsole();
  const [modal, setModal] = useState<ModalKind>();
  const d = useApiData(async () => itemsWith((await client.call('DescribeInstances', { RegionId: region, InstanceIds: JSON.stringify([id]) })).Instances?.Instance, 'InstanceId')[0], [region, id]);
  usePolling(d.reload, isTransitional(d.data?.Status));
  if (d.error) return <ApiErrorAlert error={d.error} what="Reading the instance" />;
  if (!d.data) return d.loading ? <Spin /> : <Result status="404" title={`Instance ${id} not found in ${region}`} extra={<Link to="/instances">Back to instances</Link>} />;
  const i: Instance = d.data;
  const close = (changed?: boolean) => { setModal(undefined); if (changed) d.reload(); };
  return (
    <>
      <PageHeader
        title={<Space>{i.InstanceName || i.InstanceId}<StatusBadge status={i.Status} /></Space>}
        sub={i.InstanceId}
        extra={<>
          <InstanceActions instance={i} onDone={d.reload} size="middle" />
          <SubscriptionActions instance={i} onDone={d.reload} size="middle" />
          <Button onClick={() => setModal('modify')}>Modify</Button>
          <Button onClick={() => setModal('release')}>Auto release</Button>
          <Button onClick={() => setModal('keypair')}>Key pair</Button>
          <Button onClick={() => setModal('image')}>Create image</Button>
        </>}
      />
      <Tabs items={[
        {
          key: 'details', label: 'Details', children: (
            <Descriptions bordered column={2} size="small">
              <Descriptions.Item label="Instance ID">{i.InstanceId}</Descriptions.Item>
              <Descriptions.Item label="Name">{i.InstanceName}</Descriptions.Item>
              <Descriptions.Item label="Status"><StatusBadge status={i.Status} /></Descriptions.Item>
              <Descriptions.Item label="Zone">{i.ZoneId}</Descriptions.Item>
              <Descriptions.Item label="Instance type">{i.InstanceType} ({i.Cpu} vCPU, {gib(i.Memory)} GiB)</Descriptions.Item>
              <Descriptions.Item label="Image">{i.ImageId} {i.OSName && `(${i.OSName})`}</Descriptions.Item>
              <Descriptions.Item label="Host name">{i.HostName}</Descriptions.Item>
              <Descriptions.Item label="Key pair">{i.KeyPairName || '-'}</Descriptions.Item>
              <Descriptions.Item label="VPC / VSwitch">{i.VpcAttributes ? `${i.VpcAttributes.VpcId} / ${i.VpcAttributes.VSwitchId}` : '-'}</Descriptions.Item>
              <Descriptions.Item label="IP addresses">{ipsOf(i) || '-'}</Descriptions.Item>
              <Descriptions.Item label="Security groups">{(i.SecurityGroupIds?.SecurityGroupId ?? []).map((g) => <div key={g}><Link to={`/security-groups/${g}`}>{g}</Link></div>)}</Descriptions.Item>
              <Descriptions.Item label="Billing"><ChargeInfo instance={i} /></Descriptions.Item>
              <Descriptions.Item label="Auto release time">{i.AutoReleaseTime || '-'}</Descriptions.Item>
              <Descriptions.Item label="Created">{i.CreationTime}</Descriptions.Item>
              <Descriptions.Item label="Description">{i.Description || '-'}</Descriptions.Item>
              <Descriptions.Item label="Tags" span={2}><TagList tags={i.Tags} /></Descriptions.Item>
            </Descriptions>
          ),
        },
        { key: 'network', label: <span data-testid="tab-instance-network">Network</span>, children: <InstanceNetwork instance={i} onChanged={d.reload} /> },
        { key: 'monitoring', label: 'Monitoring', children: <InstanceMonitoring instanceId={i.InstanceId} /> },
        { key: 'events', label: 'Events', children: <Events instanceId={i.InstanceId} /> },
      ]} />
      {modal === 'modify' && <ModifyAttributeModal instance={i} onClose={close} />}
      {modal === 'release' && <AutoReleaseModal instance={i} onClose={close} />}
      {modal === 'keypair' && <KeyPairModal instance={i} onClose={close} />}
      {modal === 'image' && <CreateImageModal instance={i} onClose={close} />}
    </>
  );
}
