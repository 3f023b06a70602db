/** The official Resource Manager client (V3 signing) for a test server, and a one-call group maker for fixtures. */
import ResourceManager, * as $RM from '@alicloud/resourcemanager20200331';
import * as $OpenApi from '@alicloud/openapi-core';
import { AK, SECRET, type Credentials } from './server.js';

const RMClient: typeof ResourceManager.default = (ResourceManager as any).default ?? ResourceManager;
export type RmClientT = InstanceType<typeof RMClient>;
export { $RM };

export function rmClient(url: string, c: Credentials = { accessKeyId: AK, accessKeySecret: SECRET }): RmClientT {
  return new RMClient(new $OpenApi.$OpenApiUtil.Config({ ...c, endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou' }));
}

/** Creates a resource group named `name` and returns its id. */
export async function createResourceGroup(server: { url: string }, name: string, c?: Credentials): Promise<string> {
  const r = await rmClient(server.url, c).createResourceGroup(new $RM.CreateResourceGroupRequest({ name, displayName: name }));
  return r.body!.resourceGroup!.id!;
}
