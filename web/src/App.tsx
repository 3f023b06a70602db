/** Session handling and page routing. */
import { Button, Result, Spin } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiClient, ApiError, errorText, type Credentials } from './api/client';
import type { Region } from './api/types';
import { AppLayout } from './components/AppLayout';
import { ConsoleContext, type ConsoleState } from './hooks/console';
import { AutoSnapshotPolicies } from './pages/AutoSnapshotPolicies';
import { Bills } from './pages/Bills';
import { Disks } from './pages/Disks';
import { ElasticIps } from './pages/ElasticIps';
import { Events } from './pages/Events';
import { FaultRules } from './pages/FaultRules';
import { Images } from './pages/Images';
import { InstanceCreate } from './pages/instance-create/InstanceCreate';
import { InstanceDetail } from './pages/InstanceDetail';
import { Instances } from './pages/Instances';
import { KeyPairs } from './pages/KeyPairs';
import { NetworkInterfaces } from './pages/NetworkInterfaces';
import { OperationLog } from './pages/OperationLog';
import { Overview } from './pages/Overview';
import { PrefixLists } from './pages/PrefixLists';
import { SecurityGroupDetail } from './pages/SecurityGroupDetail';
import { SecurityGroups } from './pages/SecurityGroups';
import { regionsFor, SignIn } from './pages/SignIn';
import { RamAccess } from './pages/ram/RamAccess';
import { RamGroups } from './pages/ram/RamGroups';
import { RamPolicies } from './pages/ram/RamPolicies';
import { RamRoles } from './pages/ram/RamRoles';
import { RamUsers } from './pages/ram/RamUsers';
import { Snapshots } from './pages/Snapshots';
import { Tags } from './pages/Tags';
import { Vpcs } from './pages/Vpcs';
import { match, navigate, usePath } from './router';
import { clearSession, loadCredentials, loadRegion, saveCredentials, saveRegion } from './session';

const DEFAULT_REGION = 'cn-hangzhou';

function route(path: string): ReactNode {
  let m: Record<string, string> | undefined;
  if ((m = match('/instances/create', path))) return <InstanceCreate />;
  if ((m = match('/instances/:id', path))) return <InstanceDetail id={m.id!} />;
  if ((m = match('/security-groups/:id', path))) return <SecurityGroupDetail id={m.id!} />;
  switch (path) {
    case '/instances': return <Instances />;
    case '/disks': return <Disks />;
    case '/snapshots': return <Snapshots />;
    case '/auto-snapshot-policies': return <AutoSnapshotPolicies />;
    case '/images': return <Images />;
    case '/security-groups': return <SecurityGroups />;
    case '/key-pairs': return <KeyPairs />;
    case '/tags': return <Tags />;
    case '/vpcs': return <Vpcs />;
    case '/elastic-ips': return <ElasticIps />;
    case '/network-interfaces': return <NetworkInterfaces />;
    case '/prefix-lists': return <PrefixLists />;
    case '/ram/users': return <RamUsers />;
    case '/ram/groups': return <RamGroups />;
    case '/ram/policies': return <RamPolicies />;
    case '/ram/roles': return <RamRoles />;
    case '/ram/access': return <RamAccess />;
    case '/fault-injection': return <FaultRules />;
    case '/operation-log': return <OperationLog />;
    case '/events': return <Events />;
    case '/bills': return <Bills />;
    case '/':
    case '/overview': return <Overview />;
    default: return <Result status="404" title="No such page" />;
  }
}

export function App() {
  const path = usePath();
  const [creds, setCreds] = useState<Credentials | undefined>(loadCredentials);
  const [regions, setRegions] = useState<Region[]>();
  const [loadError, setLoadError] = useState<unknown>();
  const [region, setRegionState] = useState<string>(() => loadRegion() ?? DEFAULT_REGION);
  const client = useMemo(() => (creds ? new ApiClient(creds) : undefined), [creds]);

  const signOut = () => { clearSession(); setCreds(undefined); setRegions(undefined); navigate('/'); };

  // A reload keeps the session: fetch the regions again with the stored key.
  useEffect(() => {
    if (!client || regions) return;
    setLoadError(undefined);
    regionsFor(client).then(setRegions, (e) => {
      // A key that no longer works (or expired temporary credentials) ends the session; anything else (server restarting) offers a retry.
      if (e instanceof ApiError && /AccessKey|Signature|SecurityToken/.test(e.code)) signOut();
      else setLoadError(e);
    });
  }, [client, regions]);

  useEffect(() => {
    if (regions?.length && !regions.some((r) => r.RegionId === region)) setRegionState(regions[0]!.RegionId);
  }, [regions, region]);

  if (!creds || !client) {
    return <SignIn onSignedIn={(c, rs) => { saveCredentials(c); setCreds(c); setRegions(rs); if (path === '/') navigate('/overview'); }} />;
  }
  if (loadError) {
    return <Result status="warning" title="The server could not be reached" subTitle={errorText(loadError)}
      extra={<><Button type="primary" onClick={() => { setLoadError(undefined); setRegions(undefined); setCreds({ ...creds }); }}>Retry</Button><Button onClick={signOut}>Sign out</Button></>} />;
  }
  if (!regions) return <Spin fullscreen />;

  const state: ConsoleState = {
    client, regions, region, signOut,
    setRegion: (r) => { saveRegion(r); setRegionState(r); },
  };
  return (
    <ConsoleContext.Provider value={state}>
      <AppLayout path={path}>{route(path)}</AppLayout>
    </ConsoleContext.Provider>
  );
}
