// Whether the signed-in user may change the current household: its owners, and admins (operators),
// who act as owners in the auth and alerts services. Members only read: the pages hide or disable
// what would change the household, agents, alert rules or webhook. Display only: the services
// check again on every call (members get 403).
import { useApp } from '../app-context';
import { isOperator } from '../lib/token-roles';

export function useCanChange(): boolean {
  const { client, household } = useApp();
  return household.role === 'owner' || isOperator(client.session.token());
}
