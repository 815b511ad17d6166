// A handful of pages need no router library: the path picks the page, links push history entries.
import { useEffect, useState } from 'react';

export const ROUTES = ['/', '/history', '/devices', '/alerts', '/settings', '/operator'] as const;
export type Route = (typeof ROUTES)[number];
/** What the address shows: one of the routes, or "page not found" (the address stays as typed). */
export type Page = Route | 'not-found';

/** Each page's name, as the nav and the document title say it. */
const PAGE_NAMES: Record<Page, string> = {
  '/': 'Now',
  '/history': 'History',
  '/devices': 'Devices',
  '/alerts': 'Alerts',
  '/settings': 'Settings',
  '/operator': 'Operator',
  'not-found': 'Page not found',
};

export function pageName(page: Page): string {
  return PAGE_NAMES[page];
}

function current(): Page {
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  return (ROUTES as readonly string[]).includes(path) ? (path as Route) : 'not-found';
}

export function navigate(route: Route): void {
  if (window.location.pathname === route) return;
  window.history.pushState(null, '', route);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Page {
  const [route, setRoute] = useState<Page>(current);
  useEffect(() => {
    const update = (): void => setRoute(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}
