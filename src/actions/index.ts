/** The handler registry: one module per resource family, merged per product. */
import type { Product } from '../api/spec.js';
import type { HandlerMap } from './types.js';
import { regionActions } from './regions.js';
import { spotMarketActions } from './spot-market.js';
import { spotInterruptionActions } from './spot-interruption.js';
import { renewDowngradeActions } from './renew-downgrade.js';
import { imagesActions } from './images.js';
import { vpcActions } from './vpc.js';
import { securityGroupsActions } from './security-groups.js';
import { securityGroupRulesActions, securityGroupRulesExtensionActions } from './security-group-rules.js';
import { keyPairsActions } from './key-pairs.js';
import { tagsActions } from './tags.js';
import { instancesActions } from './instances.js';
import { accountActions } from './accounts.js';
import { accountBalanceActions } from './account-balance.js';
import { faultRuleActions } from './fault-rules.js';
import { diskActions } from './disks.js';
import { snapshotActions } from './snapshots.js';
import { autoSnapshotPolicyActions } from './auto-snapshot-policies.js';
import { customImageActions } from './custom-images.js';
import { imageTaskActions } from './image-tasks.js';
import { objectStoreActions } from './object-store.js';
import { vncActions } from './vnc.js';
import { metadataOptionsActions } from './metadata-options.js';
import { networkInterfaceActions } from './network-interfaces.js';
import { ipv6AddressActions } from './ipv6-addresses.js';
import { networkInterfaceLifecycleActions } from './network-interface-lifecycle.js';
import { networkInterfacePermissionActions } from './network-interface-permissions.js';
import { monitoringActions } from './monitoring.js';
import { securityGroupToolsActions } from './security-group-tools.js';
import { vpcTagActions } from './vpc-tags.js';
import { routeTableActions } from './route-tables.js';
import { vpcDefaultActions } from './vpc-defaults.js';
import { vpcCidrActions } from './vpc-cidrs.js';
import { ecsVpcActions } from './ecs-vpc.js';
import { eipActions } from './eips.js';
import { natPublicIpActions } from './nat-public-ip.js';
import { stsActions } from './sts.js';
import { ramActions } from './ram/index.js';
import { joinResourceGroupActions, moveResourceGroupActions, resourceManagerActions } from './resource-groups.js';
import { bssActions } from './bss.js';
import { bssPriceActions } from './bss-prices.js';
import { bssBillActions } from './bss-bills.js';
import { priceActions } from './prices.js';
import { actionTrailActions } from '../audit/lookup-events.js';
import { cmsEventActions } from './cms-events.js';
import { explainRamAccessActions } from './explain-ram-access.js';
import { consoleSignInActions } from './console-sign-in.js';
import { ramDiagnosticActions } from './ram-diagnostics.js';
import { systemEventActions } from './system-events.js';
import { accountAttributeActions } from './account-attributes.js';
import { prefixListActions } from './prefix-lists.js';

export function allHandlers(): Record<Product, HandlerMap> {
  return {
    ecs: {
      ...regionActions, ...imagesActions, ...securityGroupsActions, ...securityGroupRulesActions,
      ...keyPairsActions, ...tagsActions, ...instancesActions,
      ...diskActions, ...snapshotActions, ...autoSnapshotPolicyActions, ...customImageActions, ...imageTaskActions, ...vncActions, ...monitoringActions,
      ...metadataOptionsActions, ...joinResourceGroupActions,
      ...ecsVpcActions, ...networkInterfaceActions, ...ipv6AddressActions, ...networkInterfaceLifecycleActions, ...networkInterfacePermissionActions, ...systemEventActions, ...accountAttributeActions,
      ...spotMarketActions, ...priceActions, ...prefixListActions, ...natPublicIpActions,
    },
    vpc: { ...vpcActions, ...vpcTagActions, ...moveResourceGroupActions, ...routeTableActions, ...vpcDefaultActions, ...vpcCidrActions, ...eipActions },
    sts: { ...stsActions },
    ram: { ...ramActions, ...ramDiagnosticActions },
    bssopenapi: { ...bssActions, ...bssPriceActions, ...bssBillActions },
    resourcemanager: { ...resourceManagerActions },
    actiontrail: { ...actionTrailActions },
    cms: { ...cmsEventActions },
    openecs: { ...accountActions, ...accountBalanceActions, ...faultRuleActions, ...objectStoreActions, ...securityGroupRulesExtensionActions, ...securityGroupToolsActions, ...explainRamAccessActions, ...consoleSignInActions,
      ...spotInterruptionActions, ...renewDowngradeActions },
  };
}
