/** Forms of the VPC page: create a VPC or VSwitch, rename/re-describe either (VPC API 2016-04-28). */
import { AutoComplete, Form, Input, Modal, Select } from 'antd';
import type { ApiRequest } from '../api/types';
import { TagsInput } from '../components/TagsInput';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useFormDefaults } from '../hooks/useFormDefaults';
import { useVpcs, useZones } from '../hooks/useOptions';

/** The private ranges CreateVpc accepts (10/8, 172.16/12, 192.168/16) and any subnet of them, mask 8 to 28. */
const VPC_CIDRS = ['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8'];

export function CreateVpcModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: Omit<ApiRequest<'CreateVpc'>, 'RegionId'>) => {
    if (await run('Create VPC', () => client.call('CreateVpc', { RegionId: region, ...v }))) onClose(true);
  };
  return (
    <Modal open title="Create VPC" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'vpc-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ CidrBlock: VPC_CIDRS[0] }}>
        <Form.Item label="Name" name="VpcName"><Input data-testid="vpc-name" /></Form.Item>
        <Form.Item label="IPv4 CIDR block" name="CidrBlock" rules={[{ required: true }]}
          extra="10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a subnet of one of them (mask 8 to 28).">
          <AutoComplete options={VPC_CIDRS.map((c) => ({ value: c }))} data-testid="vpc-cidr" />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input data-testid="vpc-description" /></Form.Item>
        <Form.Item label="Tags"><TagsInput /></Form.Item>
      </Form>
    </Modal>
  );
}

export function CreateVSwitchModal({ vpcId, zoneId, onClose }: { vpcId?: string; zoneId?: string; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const vpcs = useVpcs();
  const zones = useZones();
  const [form] = Form.useForm();
  const submit = async (v: Omit<ApiRequest<'CreateVSwitch'>, 'RegionId'>) => {
    if (await run('Create VSwitch', () => client.call('CreateVSwitch', { RegionId: region, ...v }))) onClose(true);
  };
  useFormDefaults(form, { VpcId: vpcId ?? vpcs.data?.[0]?.VpcId, ZoneId: zoneId ?? zones.data?.[0]?.ZoneId });
  const watchedVpc = Form.useWatch('VpcId', form);
  const chosen = vpcs.data?.find((v) => v.VpcId === watchedVpc);
  return (
    <Modal open title="Create VSwitch" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'vsw-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="VPC" name="VpcId" rules={[{ required: true }]}>
          <Select loading={vpcs.loading} data-testid="vsw-vpc"
            options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName || v.VpcId} (${v.CidrBlock})` }))} />
        </Form.Item>
        <Form.Item label="Zone" name="ZoneId" rules={[{ required: true }]}>
          <Select loading={zones.loading} data-testid="vsw-zone" options={(zones.data ?? []).map((z) => ({ value: z.ZoneId, label: z.LocalName ? `${z.LocalName} (${z.ZoneId})` : z.ZoneId }))} />
        </Form.Item>
        <Form.Item label="IPv4 CIDR block" name="CidrBlock" rules={[{ required: true }]}
          extra={`Inside the VPC's block${chosen ? ` ${chosen.CidrBlock}` : ''}, mask 16 to 29, not overlapping another VSwitch.`}>
          <Input placeholder="192.168.1.0/24" data-testid="vsw-cidr" />
        </Form.Item>
        <Form.Item label="Name" name="VSwitchName"><Input data-testid="vsw-name" /></Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
        <Form.Item label="Tags"><TagsInput /></Form.Item>
      </Form>
    </Modal>
  );
}

/** ModifyVpcAttribute / ModifyVSwitchAttribute: only the name and description (empty fields are left as they are). */
export function EditNetworkModal({ kind, id, name, description, onClose }: {
  kind: 'VPC' | 'VSwitch'; id: string; name?: string; description?: string; onClose(changed?: boolean): void;
}) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const [action, idParam, nameParam] = kind === 'VPC'
    ? ['ModifyVpcAttribute', 'VpcId', 'VpcName'] as const
    : ['ModifyVSwitchAttribute', 'VSwitchId', 'VSwitchName'] as const;
  const submit = async (v: { Name?: string; Description?: string }) => {
    const r = await run(`Modify ${kind}`, () => client.raw(action, { RegionId: region, [idParam]: id, [nameParam]: v.Name, Description: v.Description }));
    if (r) onClose(true);
  };
  return (
    <Modal open title={`Edit ${id}`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'network-edit-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ Name: name, Description: description }}>
        <Form.Item label="Name" name="Name" extra="1 to 128 characters, not starting with http:// or https://.">
          <Input data-testid="network-edit-name" />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input.TextArea rows={2} data-testid="network-edit-description" /></Form.Item>
      </Form>
    </Modal>
  );
}
