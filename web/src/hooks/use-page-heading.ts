// Tells screen readers that the page changed: the document title names the page, and after a
// navigation focus moves to the page's heading (made focusable with tabIndex=-1), so it is read
// out instead of focus staying on the nav link. The first page after a load keeps the browser's
// own focus (the reader starts at the top of a loaded document anyway).
import { useEffect, useRef, type RefObject } from 'react';

export const APP_NAME = 'Energymonitor';

export function documentTitle(page: string): string {
  return `${page} · ${APP_NAME}`;
}

/** The document title for a screen outside the navigation (login, household set-up, …). */
export function useDocumentTitle(page: string): void {
  useEffect(() => {
    document.title = documentTitle(page);
  }, [page]);
}

/** Title and heading focus for the page shown in `container` (its first h1). */
export function usePageHeading(page: string, container: RefObject<HTMLElement | null>): void {
  useDocumentTitle(page);
  const shown = useRef<string | undefined>(undefined);
  useEffect(() => {
    const previous = shown.current;
    shown.current = page;
    if (previous === undefined || previous === page) return;
    const heading = container.current?.querySelector('h1');
    if (heading === null || heading === undefined) return;
    heading.tabIndex = -1;
    heading.focus();
  }, [page, container]);
}
