/** Resource counts for the current region, one small read per resource (PageSize=1, TotalCount). */
import { Card, Col, Row, Statistic, Tooltip } from 'antd';
import { ApiError, errorText, type ApiClient } from '../api/client';
import { PageHeader } from '../components/PageHeader';
import { useConsole } from '../hooks/console';
import { useApiData } from '../hooks/useApiData';
import { Link } from '../router';

interface Counter { key: string; title: string; to: string; count(c: ApiClient, region: string): Promise<number> }

const total = (r: { TotalCount?: number }) => r.TotalCount ?? 0;

const COUNTERS: Counter[] = [
  { key: 'instances', title: 'Instances', to: '/instances', count: async (c, r) => total(await c.call('DescribeInstances', { RegionId: r, PageSize: 1 })) },
  { key: 'disks', title: 'Disks', to: '/disks', count: async (c, r) => total(await c.call('DescribeDisks', { RegionId: r, PageSize: 1 })) },
  { key: 'snapshots', title: 'Snapshots', to: '/snapshots', count: async (c, r) => total(await c.call('DescribeSnapshots', { RegionId: r, PageSize: 1 })) },
  { key: 'policies', title: 'Automatic Snapshot Policies', to: '/auto-snapshot-policies', count: async (c, r) => total(await c.call('DescribeAutoSnapshotPolicyEx', { RegionId: r, PageSize: 1 })) },
  { key: 'images', title: 'Custom Images', to: '/images', count: async (c, r) => total(await c.call('DescribeImages', { RegionId: r, ImageOwnerAlias: 'self', PageSize: 1 })) },
  { key: 'security-groups', title: 'Security Groups', to: '/security-groups', count: async (c, r) => total(await c.call('DescribeSecurityGroups', { RegionId: r, PageSize: 1 })) },
  { key: 'key-pairs', title: 'Key Pairs', to: '/key-pairs', count: async (c, r) => total(await c.call('DescribeKeyPairs', { RegionId: r, PageSize: 1 })) },
  { key: 'vpcs', title: 'VPCs', to: '/vpcs', count: async (c, r) => total(await c.call('DescribeVpcs', { RegionId: r, PageSize: 1 })) },
  { key: 'vswitches', title: 'VSwitches', to: '/vpcs', count: async (c, r) => total(await c.call('DescribeVSwitches', { RegionId: r, PageSize: 1 })) },
];

function CountCard({ counter }: { counter: Counter }) {
  const { client, region } = useConsole();
  const d = useApiData(() => counter.count(client, region), [region, counter.key]);
  const unsupported = d.error instanceof ApiError && d.error.unsupported;
  const value = d.error ? (unsupported ? 'n/a' : 'error') : d.data ?? 0;
  return (
    <Card hoverable data-testid={`count-${counter.key}`}>
      <Link to={counter.to}>
        <Tooltip title={d.error ? errorText(d.error) : undefined}>
          <Statistic title={counter.title} value={value} loading={d.loading} />
        </Tooltip>
      </Link>
    </Card>
  );
}

export function Overview() {
  const { region, regions } = useConsole();
  const name = regions.find((r) => r.RegionId === region)?.LocalName ?? region;
  return (
    <>
      <PageHeader title="Overview" sub={`Resources in ${name} (${region})`} />
      <Row gutter={[16, 16]}>
        {COUNTERS.map((c) => <Col key={c.key} xs={24} sm={12} lg={8} xl={6}><CountCard counter={c} /></Col>)}
      </Row>
    </>
  );
}
