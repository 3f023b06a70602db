/**
 * Response rendering (api-protocol.md §1.5): JSON as is; XML rooted at `<{Action}Response>` or
 * `<Error>`, lists as repeated elements, with the exact content-type the V3 SDK requires to read
 * XML errors (`text/xml;charset=utf-8`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderBody } from '../../src/api/render.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

describe('renderBody JSON', () => {
  it('is plain JSON with the JSON content-type', () => {
    const body = { RequestId: 'R', TotalCount: 2, Instances: { Instance: [{ InstanceId: 'i-1' }] } };
    const r = renderBody('JSON', 'DescribeInstancesResponse', body);
    assert.equal(r.type, 'application/json;charset=utf-8');
    assert.deepEqual(JSON.parse(r.text), body);
    assert.ok(!r.text.includes('DescribeInstancesResponse'), 'no root wrapper in JSON');
  });

  it('keeps numbers as numbers, empty lists as arrays, and drops undefined', () => {
    const r = renderBody('JSON', 'X', { Cpu: 8, Ok: false, Ids: { Id: [] }, Gone: undefined });
    assert.equal(r.text, '{"Cpu":8,"Ok":false,"Ids":{"Id":[]}}');
  });
});

describe('renderBody XML', () => {
  const cases: { name: string; root: string; body: Record<string, unknown>; xml: string }[] = [
    {
      name: 'scalars in order under the action root',
      root: 'StopInstanceResponse',
      body: { RequestId: 'R1' },
      xml: '<StopInstanceResponse><RequestId>R1</RequestId></StopInstanceResponse>',
    },
    {
      name: 'a list becomes repeated elements inside its wrapper',
      root: 'DescribeRegionsResponse',
      body: { RequestId: 'R', Regions: { Region: [{ RegionId: 'a' }, { RegionId: 'b' }] } },
      xml: '<DescribeRegionsResponse><RequestId>R</RequestId><Regions><Region><RegionId>a</RegionId></Region><Region><RegionId>b</RegionId></Region></Regions></DescribeRegionsResponse>',
    },
    {
      name: 'a list of one is one element; a list of strings repeats the text',
      root: 'R',
      body: { SecurityGroupIds: { SecurityGroupId: ['sg-1'] }, InstanceIdSets: { InstanceIdSet: ['i-1', 'i-2'] } },
      xml: '<R><SecurityGroupIds><SecurityGroupId>sg-1</SecurityGroupId></SecurityGroupIds><InstanceIdSets><InstanceIdSet>i-1</InstanceIdSet><InstanceIdSet>i-2</InstanceIdSet></InstanceIdSets></R>',
    },
    {
      name: 'an empty list leaves an empty wrapper',
      root: 'R',
      body: { Instances: { Instance: [] }, TotalCount: 0 },
      xml: '<R><Instances></Instances><TotalCount>0</TotalCount></R>',
    },
    {
      name: 'nested objects, numbers and booleans as text',
      root: 'R',
      body: { VpcAttributes: { VpcId: 'vpc-1', PrivateIpAddress: { IpAddress: ['10.0.0.1'] } }, Cpu: 2, DeletionProtection: false, IoOptimized: true },
      xml: '<R><VpcAttributes><VpcId>vpc-1</VpcId><PrivateIpAddress><IpAddress>10.0.0.1</IpAddress></PrivateIpAddress></VpcAttributes><Cpu>2</Cpu><DeletionProtection>false</DeletionProtection><IoOptimized>true</IoOptimized></R>',
    },
    {
      name: 'undefined and null fields are left out; empty strings stay',
      root: 'R',
      body: { A: undefined, B: null, C: '', D: 'x' },
      xml: '<R><C></C><D>x</D></R>',
    },
    {
      name: 'markup characters are escaped',
      root: 'R',
      body: { Description: `a<b>&"c'` },
      xml: '<R><Description>a&lt;b&gt;&amp;&quot;c&apos;</Description></R>',
    },
    {
      name: 'unicode passes through',
      root: 'R',
      body: { LocalName: '华东1（杭州）' },
      xml: '<R><LocalName>华东1（杭州）</LocalName></R>',
    },
    {
      name: 'errors are rooted at <Error> with the five fields in order',
      root: 'Error',
      body: { RequestId: 'R', HostId: 'ecs.aliyuncs.com', Code: 'InvalidInstanceId.NotFound', Message: 'The specified InstanceId does not exist.', Recommend: 'https://api.aliyun.com/troubleshoot?q=InvalidInstanceId.NotFound&product=Ecs&requestId=R' },
      xml: '<Error><RequestId>R</RequestId><HostId>ecs.aliyuncs.com</HostId><Code>InvalidInstanceId.NotFound</Code><Message>The specified InstanceId does not exist.</Message>'
        + '<Recommend>https://api.aliyun.com/troubleshoot?q=InvalidInstanceId.NotFound&amp;product=Ecs&amp;requestId=R</Recommend></Error>',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = renderBody('XML', c.root, c.body);
      assert.equal(r.type, 'text/xml;charset=utf-8', 'the V3 SDK parses XML errors only with exactly this content-type');
      assert.equal(r.text, DECL + c.xml);
    });
  }

  it('does not mutate the body it renders', () => {
    const body = { A: undefined, L: { I: [{ X: null, Y: 1 }] } };
    const copy = structuredClone(body);
    renderBody('XML', 'R', body);
    assert.deepEqual(body, copy);
  });
});
