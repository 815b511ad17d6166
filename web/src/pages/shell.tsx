// The logged-in frame: header (household, log out), navigation (a bottom tab bar on phones) and
// the current page.
import { useState, type ReactNode } from 'react';
import type { Household } from '../api/types';
import { useApp } from '../app-context';
import { navigate, useRoute, type Route } from '../router';
import { DashboardPage } from './dashboard-page';
import { DevicesPage } from './devices-page';
import { HistoryPage } from './history-page';
import { SettingsPage } from './settings-page';

const NAV: { route: Route; label: string; icon: string }[] = [
  { route: '/', label: 'Now', icon: '⚡' },
  { route: '/history', label: 'History', icon: '📈' },
  { route: '/devices', label: 'Devices', icon: '🔌' },
  { route: '/settings', label: 'Settings', icon: '⚙' },
];

export function Shell({ households, onChoose }: { households: Household[]; onChoose: (id: string) => void }): ReactNode {
  const { client, household } = useApp();
  const route = useRoute();
  const [leaving, setLeaving] = useState(false);

  const logout = (): void => {
    setLeaving(true);
    void client.session.logout();
  };

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
        <button type="button" className="button secondary small" onClick={logout} disabled={leaving}>
          Log out
        </button>
      </header>
      <nav className="nav" aria-label="Main">
        {NAV.map((item) => (
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
            <span aria-hidden="true">{item.icon}</span>
            <span>{item.label}</span>
          </a>
        ))}
      </nav>
      <main className="page" key={household.id}>
        {route === '/' && <DashboardPage />}
        {route === '/history' && <HistoryPage />}
        {route === '/devices' && <DevicesPage />}
        {route === '/settings' && <SettingsPage />}
      </main>
    </div>
  );
}
