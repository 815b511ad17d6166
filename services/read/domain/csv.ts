// CSV cells per RFC 4180 (quote when a cell holds `,` `"` CR or LF; double inner quotes), and safe
// for spreadsheets: a cell starting with = + - @, tab or CR (OWASP "CSV injection"), or with one of
// = + - @ after leading white space (spreadsheets trim it on import: " =1+1" is evaluated) is
// prefixed with a single quote so it is shown as text, never evaluated.
// Numbers we produce are written as numbers; only text cells are neutralised.

const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@])/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvText(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

export function csvRow(cells: readonly (string | number)[]): string {
  return cells.map((cell) => (typeof cell === 'number' ? csvNumber(cell) : csvText(cell))).join(',') + '\r\n';
}
