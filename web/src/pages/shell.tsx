// The logged-in frame: header (household, log out), navigation (a bottom tab bar on phones) and
// the current page, whose name is the document title and whose heading gets focus on navigation.
import { useRef, type ReactNode } from 'react';
import type { Household } from '../api/types';
import { useApp } from '../app-context';
import { Empty } from '../components/status';
import { useFiringCount } from '../hooks/use-firing-count';
import { useLogout } from '../hooks/use-logout';
import { LogoutButton, LogoutFailed } from '../components/logout-controls';
import { usePageHeading } from '../hooks/use-page-heading';
import { isOperator } from '../lib/token-roles';
import { navigate, pageName, useRoute, type Route } from '../router';
import { AlertsPage } from './alerts-page';
import { DashboardPage } from './dashboard-page';
import { DevicesPage } from './devices-page';
import { HistoryPage } from './history-page';
import { NotFoundPage } from './not-found';
import { SettingsPage } from './settings-page';

// Simple line icons (24×24 paths), so that no emoji font is needed.
const NAV: { route: Route; icon: string }[] = [
  { route: '/', icon: 'M13 2 4 14h7l-1 8 9-12h-7z' },
  { route: '/history', icon: 'M3 3v18h18M7 15l4-4 3 3 5-6' },
  { route: '/devices', icon: 'M9 2v6M15 2v6M6 8h12v4a6 6 0 0 1-12 0zM12 18v4' },
  { route: '/alerts', icon: 'M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0' },
  { route: '/settings', icon: 'M4 6h16M4 12h16M4 18h16M8 4v4M16 10v4M10 16v4' },
];
/** Shown to admins only (the web server checks the role again on every operator call). */
const OPERATOR_NAV = { route: '/operator' as const, icon: 'M3 12h4l3-8 4 16 3-8h4' };

export function Shell({ households, onChoose }: { households: Household[]; onChoose: (id: string) => void }): ReactNode {
  const { client, household } = useApp();
  const route = useRoute();
  const leaving = useLogout(client.session);
  const nav = isOperator(client.session.token()) ? [...NAV, OPERATOR_NAV] : NAV;
  const firing = useFiringCount(client, household.id);
  const main = useRef<HTMLElement>(null);
  usePageHeading(pageName(route), main);

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand small">
          <span aria-hidden="true">⚡</span> Energymonitor
        </span>
        {households.length > 1 ? (
          <label className="household-picker">
            <span className="visually-hidden">Household</span>
            <select value={household.id} onChange={(e) => onChoose(e.target.value)}>
              {households.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="household-name">{household.name}</span>
        )}
        <LogoutButton leaving={leaving} small />
      </header>
      <LogoutFailed leaving={leaving} inPage />
      <nav className="nav" aria-label="Main">
        {nav.map((item) => (
          <a
            key={item.route}
            href={item.route}
            className={route === item.route ? 'nav-link active' : 'nav-link'}
            aria-current={route === item.route ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(item.route);
            }}
          >
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
              <path d={item.icon} />
            </svg>
            <span>{pageName(item.route)}</span>
            {item.route === '/alerts' && firing !== undefined && firing > 0 && (
              <span className="nav-badge" data-testid="firing-count">
                {firing}
                <span className="visually-hidden"> firing</span>
              </span>
            )}
          </a>
        ))}
      </nav>
      <main className="page" key={household.id} ref={main}>
        {route === '/' && <DashboardPage />}
        {route === '/history' && <HistoryPage />}
        {route === '/devices' && <DevicesPage />}
        {route === '/alerts' && <AlertsPage />}
        {route === '/settings' && <SettingsPage />}
        {route === '/operator' && <Empty>The operator page is for administrators.</Empty>}
        {route === 'not-found' && <NotFoundPage />}
      </main>
    </div>
  );
}
