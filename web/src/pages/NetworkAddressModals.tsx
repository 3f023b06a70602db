/**
 * The forms that join addresses and interfaces to instances, opened from either side: from an EIP
 * or ENI (pick the instance) or from an instance's detail (pick the EIP or ENI). Associate and
 * Attach only start the change (Associating, Attaching); the lists poll until it settles.
 */
import { Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Eip, Instance, NetworkInterface } from '../api/types';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';
import { useFormDefaults } from '../hooks/useFormDefaults';
import { useInstanceOptions, useSecurityGroups, useVpcs, useVSwitches } from '../hooks/useOptions';

type Close = (changed?: boolean) => void;

/** AssociateEipAddress and AttachNetworkInterface take Running or Stopped instances of a VPC. */
const attachable = (i: Instance) => !!i.VpcAttributes?.VpcId && (i.Status === 'Running' || i.Status === 'Stopped');
const instanceLabel = (i: Instance) => `${i.InstanceName || i.InstanceId} (${i.InstanceId}, ${i.Status})`;

export function useEipOptions(status?: string) {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeEipAddresses', { RegionId: region, Status: status, PageSize: 100 })).EipAddresses?.EipAddress, 'AllocationId'), [region, status]);
}

/** Secondary interfaces (the only kind that moves between instances), optionally of one VPC. */
export function useSecondaryEnis(vpcId?: string) {
  const { client, region } = useConsole();
  return useApiData(async () => itemsWith((await client.call('DescribeNetworkInterfaces', { RegionId: region, VpcId: vpcId, Type: 'Secondary', PageSize: 100 })).NetworkInterfaceSets?.NetworkInterfaceSet, 'NetworkInterfaceId'), [region, vpcId]);
}

export function AllocateEipModal({ onClose }: { onClose: Close }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { Bandwidth: number; InternetChargeType: string; Name?: string; Description?: string }) => {
    const r = await run('Allocate EIP', () => client.call('AllocateEipAddress', { RegionId: region, ...v, Bandwidth: String(v.Bandwidth) }));
    if (r) onClose(true);
  };
  return (
    <Modal open title="Allocate elastic IP address" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'eip-allocate-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ Bandwidth: 5, InternetChargeType: 'PayByBandwidth' }}>
        <Form.Item label="Metering" name="InternetChargeType" extra="Pay-as-you-go, BGP line.">
          <Radio.Group options={[{ value: 'PayByBandwidth', label: 'By bandwidth' }, { value: 'PayByTraffic', label: 'By traffic' }]} />
        </Form.Item>
        <Form.Item label="Peak bandwidth (Mbit/s)" name="Bandwidth" rules={[{ required: true }]} extra="1 to 500 (by traffic: 1 to 200).">
          <InputNumber min={1} max={500} data-testid="eip-bandwidth" />
        </Form.Item>
        <Form.Item label="Name" name="Name" extra="1 to 128 characters, starting with a letter."><Input data-testid="eip-name" /></Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

/** ModifyEipAddressAttribute: bandwidth, name, description. */
export function EditEipModal({ eip, onClose }: { eip: Eip; onClose: Close }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { Bandwidth?: number; Name?: string; Description?: string }) => {
    const r = await run('Modify EIP', () => client.call('ModifyEipAddressAttribute', {
      RegionId: region, AllocationId: eip.AllocationId, Bandwidth: v.Bandwidth === undefined ? undefined : String(v.Bandwidth), Name: v.Name, Description: v.Description,
    }));
    if (r) onClose(true);
  };
  return (
    <Modal open title={`Edit ${eip.IpAddress ?? eip.AllocationId}`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'eip-edit-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ Bandwidth: Number(eip.Bandwidth) || undefined, Name: eip.Name, Description: eip.Description }}>
        <Form.Item label="Peak bandwidth (Mbit/s)" name="Bandwidth"><InputNumber min={1} max={500} data-testid="eip-edit-bandwidth" /></Form.Item>
        <Form.Item label="Name" name="Name"><Input data-testid="eip-edit-name" /></Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * AssociateEipAddress from the EIP (choose an instance, or a secondary ENI: InstanceType
 * NetworkInterface) or from an instance (choose one of the region's Available EIPs).
 */
export function AssociateEipModal({ eip, instance, onClose }: { eip?: Eip; instance?: Instance; onClose: Close }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const [kind, setKind] = useState<'EcsInstance' | 'NetworkInterface'>('EcsInstance');
  const instances = useInstanceOptions();
  const enis = useSecondaryEnis();
  const eips = useEipOptions('Available');
  const submit = async (v: { AllocationId?: string; InstanceId?: string }) => {
    const allocationId = eip?.AllocationId ?? v.AllocationId!;
    const target = instance?.InstanceId ?? v.InstanceId!;
    const r = await run('Associate EIP', () => client.call('AssociateEipAddress', {
      RegionId: region, AllocationId: allocationId, InstanceId: target, InstanceType: instance ? 'EcsInstance' : kind,
    }), `Associating ${allocationId} with ${target}`);
    if (r) onClose(true);
  };
  return (
    <Modal open title={eip ? `Associate ${eip.IpAddress}` : `Associate an EIP with ${instance?.InstanceId}`} onCancel={() => onClose()} onOk={form.submit}
      confirmLoading={busy} okButtonProps={{ 'data-testid': 'eip-associate-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}>
        {eip && <>
          <Form.Item label="Resource type">
            <Radio.Group value={kind} onChange={(e) => { setKind(e.target.value); form.resetFields(['InstanceId']); }} data-testid="eip-associate-kind"
              options={[{ value: 'EcsInstance', label: 'ECS instance' }, { value: 'NetworkInterface', label: 'Secondary ENI' }]} />
          </Form.Item>
          <Form.Item label={kind === 'EcsInstance' ? 'Instance' : 'Network interface'} name="InstanceId" rules={[{ required: true }]}
            extra={kind === 'EcsInstance' ? 'Running or Stopped VPC instances without a public address or another EIP.' : 'A secondary ENI; the EIP maps to its primary private address.'}>
            {kind === 'EcsInstance'
              ? <Select loading={instances.loading} data-testid="eip-associate-target" showSearch optionFilterProp="label"
                  options={(instances.data ?? []).filter((i) => attachable(i) && !i.PublicIpAddress?.IpAddress?.length && !i.EipAddress?.IpAddress)
                    .map((i) => ({ value: i.InstanceId, label: instanceLabel(i) }))} />
              : <Select loading={enis.loading} data-testid="eip-associate-target" showSearch optionFilterProp="label"
                  options={(enis.data ?? []).filter((n) => n.Status === 'Available' || n.Status === 'InUse').map((n) => ({ value: n.NetworkInterfaceId, label: `${n.NetworkInterfaceName || n.NetworkInterfaceId} (${n.NetworkInterfaceId}, ${n.PrivateIpAddress})` }))} />}
          </Form.Item>
        </>}
        {instance && (
          <Form.Item label="Elastic IP address" name="AllocationId" rules={[{ required: true }]} extra="Available EIPs of this region.">
            <Select loading={eips.loading} data-testid="eip-associate-eip"
              options={(eips.data ?? []).map((e) => ({ value: e.AllocationId, label: `${e.IpAddress} (${e.AllocationId}${e.Name ? `, ${e.Name}` : ''})` }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function CreateEniModal({ onClose }: { onClose: Close }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const vpcs = useVpcs();
  const vpcId = Form.useWatch('VpcId', form);
  const vswitches = useVSwitches(vpcId);
  const groups = useSecurityGroups(vpcId);
  useFormDefaults(form, { VpcId: vpcs.data?.[0]?.VpcId });
  const submit = async (v: { VSwitchId: string; SecurityGroupId: string; NetworkInterfaceName?: string; Description?: string; PrimaryIpAddress?: string }) => {
    const r = await run('Create network interface', () => client.call('CreateNetworkInterface', { RegionId: region, ...v }));
    if (r) onClose(true);
  };
  return (
    <Modal open title="Create network interface" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'eni-create-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="VPC" name="VpcId" rules={[{ required: true }]}>
          <Select loading={vpcs.loading} data-testid="eni-vpc" onChange={() => form.resetFields(['VSwitchId', 'SecurityGroupId'])}
            options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName || v.VpcId} (${v.CidrBlock})` }))} />
        </Form.Item>
        <Form.Item label="VSwitch" name="VSwitchId" rules={[{ required: true }]} extra="The interface lives in the VSwitch's zone and attaches to instances of that zone.">
          <Select loading={vswitches.loading} data-testid="eni-vswitch"
            options={(vswitches.data ?? []).map((v) => ({ value: v.VSwitchId, label: `${v.VSwitchName || v.VSwitchId} (${v.CidrBlock}, ${v.ZoneId})` }))} />
        </Form.Item>
        <Form.Item label="Security group" name="SecurityGroupId" rules={[{ required: true }]}>
          <Select loading={groups.loading} data-testid="eni-group"
            options={(groups.data ?? []).map((g) => ({ value: g.SecurityGroupId, label: `${g.SecurityGroupName || g.SecurityGroupId} (${g.SecurityGroupId})` }))} />
        </Form.Item>
        <Form.Item label="Primary private IP" name="PrimaryIpAddress" extra="Optional: a free address of the VSwitch; one is picked otherwise.">
          <Input data-testid="eni-ip" />
        </Form.Item>
        <Form.Item label="Name" name="NetworkInterfaceName" extra="2 to 128 characters, starting with a letter."><Input data-testid="eni-name" /></Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * AttachNetworkInterface from the ENI (choose an instance of its VPC and zone) or from an instance
 * (choose an Available secondary ENI of its VPC and zone).
 */
export function AttachEniModal({ eni, instance, onClose }: { eni?: NetworkInterface; instance?: Instance; onClose: Close }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const instances = useInstanceOptions();
  const enis = useSecondaryEnis(instance?.VpcAttributes?.VpcId);
  const submit = async (v: { InstanceId?: string; NetworkInterfaceId?: string }) => {
    const eniId = eni?.NetworkInterfaceId ?? v.NetworkInterfaceId!;
    const instanceId = instance?.InstanceId ?? v.InstanceId!;
    const r = await run('Attach network interface', () => client.call('AttachNetworkInterface', { RegionId: region, NetworkInterfaceId: eniId, InstanceId: instanceId }),
      `Attaching ${eniId} to ${instanceId}`);
    if (r) onClose(true);
  };
  return (
    <Modal open title={eni ? `Attach ${eni.NetworkInterfaceId}` : `Attach a network interface to ${instance?.InstanceId}`} onCancel={() => onClose()} onOk={form.submit}
      confirmLoading={busy} okButtonProps={{ 'data-testid': 'eni-attach-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}>
        {eni && (
          <Form.Item label="Instance" name="InstanceId" rules={[{ required: true }]} extra={`Running or Stopped instances of ${eni.VpcId}, zone ${eni.ZoneId}.`}>
            <Select loading={instances.loading} data-testid="eni-attach-instance" showSearch optionFilterProp="label"
              options={(instances.data ?? []).filter((i) => attachable(i) && i.VpcAttributes?.VpcId === eni.VpcId && i.ZoneId === eni.ZoneId)
                .map((i) => ({ value: i.InstanceId, label: instanceLabel(i) }))} />
          </Form.Item>
        )}
        {instance && (
          <Form.Item label="Network interface" name="NetworkInterfaceId" rules={[{ required: true }]} extra={`Available secondary ENIs of ${instance.VpcAttributes?.VpcId}, zone ${instance.ZoneId}.`}>
            <Select loading={enis.loading} data-testid="eni-attach-eni"
              options={(enis.data ?? []).filter((n) => n.Status === 'Available' && n.ZoneId === instance.ZoneId)
                .map((n) => ({ value: n.NetworkInterfaceId, label: `${n.NetworkInterfaceName || n.NetworkInterfaceId} (${n.NetworkInterfaceId}, ${n.PrivateIpAddress})` }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
