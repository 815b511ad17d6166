import type { ReactNode } from 'react';
import { Empty } from '../components/status';

export function DevicesPage(): ReactNode {
  return <Empty>Coming soon.</Empty>;
}
