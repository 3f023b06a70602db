/** CPU and network charts from DescribeInstanceMonitorData (last hour, 60 s points). */
import { Card, Col, Radio, Row } from 'antd';
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { itemsWith } from '../api/answers';
import type { MonitorPoint } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { useConsole } from '../hooks/console';
import { useApiData } from '../hooks/useApiData';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function InstanceMonitoring({ instanceId }: { instanceId: string }) {
  const { client, region } = useConsole();
  const [hours, setHours] = useState(1);
  const d = useApiData(async () => {
    const end = Date.now();
    const r = await client.call('DescribeInstanceMonitorData', {
      InstanceId: instanceId, StartTime: iso(end - hours * 3600_000), EndTime: iso(end), Period: hours > 1 ? 600 : 60,
    });
    return itemsWith(r.MonitorData?.InstanceMonitorData, 'TimeStamp').map((p: MonitorPoint) => ({ ...p, t: p.TimeStamp.slice(11, 16) }));
  }, [region, instanceId, hours]);
  return (
    <>
      <Radio.Group value={hours} onChange={(e) => setHours(e.target.value)} style={{ marginBottom: 16 }}
        options={[{ value: 1, label: '1 hour' }, { value: 6, label: '6 hours' }, { value: 24, label: '1 day' }]} optionType="button" />
      <ApiErrorAlert error={d.error} what="Monitoring data" />
      {d.data && (
        <Row gutter={16}>
          <Col span={12}>
            <Card title="CPU (%)" size="small">
              <ResponsiveContainer width="100%" height={240}>
                <LineChart data={d.data}><CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="t" /><YAxis domain={[0, 100]} /><Tooltip />
                  <Line type="monotone" dataKey="CPU" stroke="#ff6a00" dot={false} /></LineChart>
              </ResponsiveContainer>
            </Card>
          </Col>
          <Col span={12}>
            <Card title="Network (kbit/s)" size="small">
              <ResponsiveContainer width="100%" height={240}>
                <LineChart data={d.data}><CartesianGrid strokeDasharray="3 3" /><XAxis dataKey="t" /><YAxis /><Tooltip /><Legend />
                  <Line type="monotone" dataKey="IntranetRX" stroke="#1677ff" dot={false} />
                  <Line type="monotone" dataKey="IntranetTX" stroke="#52c41a" dot={false} />
                  <Line type="monotone" dataKey="InternetRX" stroke="#722ed1" dot={false} />
                  <Line type="monotone" dataKey="InternetTX" stroke="#eb2f96" dot={false} /></LineChart>
              </ResponsiveContainer>
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
