/** The signed-in frame: navigation on the left, region and account on top, the page inside. */
import {
  AppstoreOutlined, CameraOutlined, CloudServerOutlined, DashboardOutlined, DatabaseOutlined, FieldTimeOutlined,
  KeyOutlined, LogoutOutlined, SafetyOutlined, ApartmentOutlined, TagsOutlined, UserOutlined, TeamOutlined, FileProtectOutlined,
  IdcardOutlined, QuestionCircleOutlined, ThunderboltOutlined, HistoryOutlined, AlertOutlined, AccountBookOutlined,
  GlobalOutlined, NodeIndexOutlined, UnorderedListOutlined,
} from '@ant-design/icons';
import { Button, Flex, Layout, Menu, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useConsole } from '../hooks/console';
import { navigate } from '../router';
import { RegionSelect } from './RegionSelect';

export const NAV = [
  { key: '/overview', icon: <DashboardOutlined />, label: 'Overview' },
  { key: '/instances', icon: <CloudServerOutlined />, label: 'Instances' },
  { key: '/events', icon: <AlertOutlined />, label: 'Events' },
  { key: '/disks', icon: <DatabaseOutlined />, label: 'Disks' },
  { key: '/snapshots', icon: <CameraOutlined />, label: 'Snapshots' },
  { key: '/auto-snapshot-policies', icon: <FieldTimeOutlined />, label: 'Automatic Snapshot Policies' },
  { key: '/images', icon: <AppstoreOutlined />, label: 'Images' },
  { key: '/security-groups', icon: <SafetyOutlined />, label: 'Security Groups' },
  { key: '/key-pairs', icon: <KeyOutlined />, label: 'Key Pairs' },
  { key: '/tags', icon: <TagsOutlined />, label: 'Tags' },
  { key: '/vpcs', icon: <ApartmentOutlined />, label: 'VPCs & VSwitches' },
  { key: '/elastic-ips', icon: <GlobalOutlined />, label: 'Elastic IP Addresses' },
  { key: '/network-interfaces', icon: <NodeIndexOutlined />, label: 'Network Interfaces' },
  { key: '/prefix-lists', icon: <UnorderedListOutlined />, label: 'Prefix Lists' },
  { key: '/bills', icon: <AccountBookOutlined />, label: 'Bills' },
  { key: '/ram/users', icon: <UserOutlined />, label: 'RAM Users' },
  { key: '/ram/groups', icon: <TeamOutlined />, label: 'RAM Groups' },
  { key: '/ram/policies', icon: <FileProtectOutlined />, label: 'RAM Policies' },
  { key: '/ram/roles', icon: <IdcardOutlined />, label: 'RAM Roles' },
  { key: '/ram/access', icon: <QuestionCircleOutlined />, label: 'RAM Access Explainer' },
  { key: '/fault-injection', icon: <ThunderboltOutlined />, label: 'Fault Injection' },
  { key: '/operation-log', icon: <HistoryOutlined />, label: 'Operation Log' },
];

export function AppLayout({ path, children }: { path: string; children: ReactNode }) {
  const { client, signOut } = useConsole();
  const selected = NAV.find((n) => path === n.key || path.startsWith(n.key + '/'))?.key ?? '/overview';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={240} theme="light" breakpoint="lg" collapsedWidth={0} style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '16px 20px', fontWeight: 700, fontSize: 18 }}>OpenECS</div>
        <Menu
          mode="inline"
          selectedKeys={[selected]}
          items={NAV.map((n) => ({ ...n, label: <span data-testid={`nav${n.key.replace(/\//g, '-')}`}>{n.label}</span> }))}
          onClick={(e) => navigate(e.key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', borderBottom: '1px solid #f0f0f0' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }}>
            <RegionSelect />
            <Flex gap={12} align="center">
              <Typography.Text type="secondary" data-testid="account">{client.principal}</Typography.Text>
              <Button icon={<LogoutOutlined />} onClick={signOut}>Sign out</Button>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
