/** The signed-in console's shared state: the API client, the region list and the current region. */
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { Region } from '../api/types';

export interface ConsoleState {
  client: ApiClient;
  regions: Region[];
  region: string;
  setRegion(region: string): void;
  signOut(): void;
}

export const ConsoleContext = createContext<ConsoleState | null>(null);

export function useConsole(): ConsoleState {
  const c = useContext(ConsoleContext);
  if (!c) throw new Error('useConsole outside a signed-in console');
  return c;
}
