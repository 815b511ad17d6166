import type { ReactNode } from 'react';
import { Empty } from '../components/status';

export function SettingsPage(): ReactNode {
  return <Empty>Coming soon.</Empty>;
}
