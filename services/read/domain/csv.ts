// CSV cells per RFC 4180 (quote when a cell holds `,` `"` CR or LF; double inner quotes), and safe
// for spreadsheets: a cell starting with = + - @ (or tab/CR, which some apps skip before a formula)
// is prefixed with a single quote so it is shown as text, never evaluated (OWASP "CSV injection").
// Numbers we produce are written as numbers; only text cells are neutralised.

const FORMULA_START = /^[=+\-@\t\r]/;
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
