// Settings: the household (name, time zone), its tariff, who may see it, (members) leaving it, and
// the account's password and joining another household.
import type { ReactNode } from 'react';
import { useApp } from '../app-context';
import { useCanChange } from '../hooks/use-can-change';
import { AcceptInvitation } from './accept-invitation';
import { HouseholdSettings } from './household-settings';
import { LeaveHousehold } from './leave-household';
import { MembersSettings } from './members-settings';
import { PasswordSettings } from './password-settings';
import { TariffSettings } from './tariff-settings';

export function SettingsPage(): ReactNode {
  const canChange = useCanChange();
  const { client, reloadHousehold } = useApp();
  return (
    <>
      <h1>Settings</h1>
      {!canChange && <p className="notice">You are a member of this household: only its owners can change these settings.</p>}
      <HouseholdSettings />
      <TariffSettings />
      <MembersSettings />
      <LeaveHousehold />
      <PasswordSettings />
      <AcceptInvitation
        client={client}
        onJoined={reloadHousehold}
        title="Join another household"
        joinedText="Joined. Switch between your households with the menu at the top."
        className="card"
      />
    </>
  );
}
