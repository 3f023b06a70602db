/** Step 3: VPC, a VSwitch in the chosen zone, a security group of that VPC, public bandwidth. */
import { Alert, Form, InputNumber, Select } from 'antd';
import type { FormInstance } from 'antd';
import { useEffect } from 'react';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { useSecurityGroups, useVpcs, useVSwitches } from '../../hooks/useOptions';
import { Link } from '../../router';

export function NetworkStep({ form }: { form: FormInstance }) {
  const zoneId: string | undefined = Form.useWatch('ZoneId', form);
  const vpcId: string | undefined = Form.useWatch('VpcId', form);
  const vpcs = useVpcs();
  const vsws = useVSwitches(vpcId, zoneId);
  const sgs = useSecurityGroups(vpcId);
  const pickFirst = (field: string, ids: string[] | undefined) => {
    if (ids?.length && !ids.includes(form.getFieldValue(field))) form.setFieldValue(field, ids[0]);
  };
  useEffect(() => pickFirst('VpcId', vpcs.data?.map((v) => v.VpcId)), [vpcs.data]);
  useEffect(() => pickFirst('VSwitchId', vsws.data?.map((v) => v.VSwitchId)), [vsws.data]);
  useEffect(() => pickFirst('SecurityGroupId', sgs.data?.map((g) => g.SecurityGroupId)), [sgs.data]);
  return (
    <>
      <ApiErrorAlert error={vpcs.error ?? vsws.error ?? sgs.error} />
      {vpcId && vsws.data && !vsws.data.length && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={<>No VSwitch of this VPC in {zoneId}. <Link to="/vpcs">Create one</Link>.</>} />
      )}
      <Form.Item label="VPC" name="VpcId" rules={[{ required: true }]}>
        <Select data-testid="vpc" loading={vpcs.loading} options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName || v.VpcId} (${v.CidrBlock})` }))} />
      </Form.Item>
      <Form.Item label="VSwitch" name="VSwitchId" rules={[{ required: true }]}>
        <Select data-testid="vswitch" loading={vsws.loading} options={(vsws.data ?? []).map((v) => ({ value: v.VSwitchId, label: `${v.VSwitchName || v.VSwitchId} (${v.CidrBlock}, ${v.AvailableIpAddressCount} free)` }))} />
      </Form.Item>
      <Form.Item label="Security group" name="SecurityGroupId" rules={[{ required: true }]}>
        <Select data-testid="security-group" loading={sgs.loading} options={(sgs.data ?? []).map((g) => ({ value: g.SecurityGroupId, label: `${g.SecurityGroupName || g.SecurityGroupId} (${g.SecurityGroupId})` }))} />
      </Form.Item>
      <Form.Item label="Public bandwidth (Mbit/s, 0 for none)" name="InternetMaxBandwidthOut">
        <InputNumber min={0} max={100} />
      </Form.Item>
    </>
  );
}
