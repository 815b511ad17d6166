// What every page needs: the API client (with its session) and the chosen household.
import { createContext, useContext } from 'react';
import type { ApiClient } from './api/client';
import type { Household } from './api/types';

export interface AppContextValue {
  readonly client: ApiClient;
  readonly household: Household;
  /** Re-reads the household after a settings change. */
  readonly reloadHousehold: () => void;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === undefined) throw new Error('useApp outside AppContext');
  return value;
}
