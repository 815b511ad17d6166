import type { ReactNode } from 'react';
import { Empty } from '../components/status';

export function HistoryPage(): ReactNode {
  return <Empty>Coming soon.</Empty>;
}
