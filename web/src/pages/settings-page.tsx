// Settings: the household (name, time zone), its tariff, who may see it, (members) leaving it, and
// the account's password.
import type { ReactNode } from 'react';
import { useCanChange } from '../hooks/use-can-change';
import { HouseholdSettings } from './household-settings';
import { LeaveHousehold } from './leave-household';
import { MembersSettings } from './members-settings';
import { PasswordSettings } from './password-settings';
import { TariffSettings } from './tariff-settings';

export function SettingsPage(): ReactNode {
  const canChange = useCanChange();
  return (
    <>
      <h1>Settings</h1>
      {!canChange && <p className="notice">You are a member of this household: only its owners can change these settings.</p>}
      <HouseholdSettings />
      <TariffSettings />
      <MembersSettings />
      <LeaveHousehold />
      <PasswordSettings />
    </>
  );
}
