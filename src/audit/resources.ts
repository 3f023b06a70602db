/**
 * The resources a call named, for LookupEvents' ResourceName and ResourceType filters: ids of the
 * known kinds found in the request's values and, for writes, in the answer (CreateX answers the id).
 */

const TYPES: Record<string, string> = {
  i: 'ACS::ECS::Instance', d: 'ACS::ECS::Disk', s: 'ACS::ECS::Snapshot', m: 'ACS::ECS::Image',
  sg: 'ACS::ECS::SecurityGroup', eni: 'ACS::ECS::NetworkInterface', sp: 'ACS::ECS::AutoSnapshotPolicy',
  vpc: 'ACS::VPC::VPC', vsw: 'ACS::VPC::VSwitch', vtb: 'ACS::VPC::RouteTable', vrt: 'ACS::VPC::VRouter',
  eip: 'ACS::VPC::EIP', rg: 'ACS::ResourceManager::ResourceGroup',
};

const ID = /(?<![A-Za-z0-9_.-])(i|d|s|m|sg|eni|sp|vpc|vsw|vtb|vrt|eip|rg)-[a-z0-9]{8,32}(?![A-Za-z0-9_-])/g;

/** More than this many names are not kept: a bulk call is found by its other fields. */
export const MAX_RESOURCES = 50;

export interface NamedResources { names: string[]; types: string[] }

export function resourcesIn(texts: readonly string[], keyPairName?: string): NamedResources {
  const names = new Set<string>();
  const types = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(ID)) {
      if (names.size >= MAX_RESOURCES) break;
      names.add(m[0]);
      types.add(TYPES[m[1]!]!);
    }
  }
  if (keyPairName && names.size < MAX_RESOURCES) {
    names.add(keyPairName);
    types.add('ACS::ECS::KeyPair');
  }
  return { names: [...names], types: [...types] };
}

/** `;a;b;` so that `like '%;a;%'` matches one whole name; '' for none. */
export function delimited(list: readonly string[]): string {
  return list.length ? `;${list.join(';')};` : '';
}
