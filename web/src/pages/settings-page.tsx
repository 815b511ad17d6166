// Settings: the household (name, time zone), its tariff, and who may see it.
import type { ReactNode } from 'react';
import { useApp } from '../app-context';
import { HouseholdSettings } from './household-settings';
import { MembersSettings } from './members-settings';
import { TariffSettings } from './tariff-settings';

export function SettingsPage(): ReactNode {
  const { household } = useApp();
  return (
    <>
      <h1>Settings</h1>
      {household.role !== 'owner' && <p className="notice">You are a member of this household: only its owners can change these settings.</p>}
      <HouseholdSettings />
      <TariffSettings />
      <MembersSettings />
    </>
  );
}
