import { describe, expect, it } from 'vitest';
import { csvNumber, csvRow, csvText } from '../domain/csv.js';

describe('csvText', () => {
  it('when the text is plain, then it is written as is', () => {
    expect(csvText('kettle')).toBe('kettle');
    expect(csvText('')).toBe('');
  });

  it('when the text holds a comma, then it is quoted', () => {
    expect(csvText('kitchen, left')).toBe('"kitchen, left"');
  });

  it('when the text holds quotes, then it is quoted and inner quotes are doubled', () => {
    expect(csvText('the "big" one')).toBe('"the ""big"" one"');
  });

  it('when the text holds a newline or carriage return, then it is quoted', () => {
    expect(csvText('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvText('a\rb')).toBe('"a\rb"');
  });

  it('when the text starts like a formula (= + - @), then a single quote is put in front', () => {
    expect(csvText('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvText('+1')).toBe("'+1");
    expect(csvText('-2')).toBe("'-2");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('when the text starts with a tab or carriage return, then it is neutralised as well', () => {
    expect(csvText('\t=1')).toBe("'\t=1");
    expect(csvText('\r=1')).toBe(`"'\r=1"`);
  });

  it('when white space comes before = + - @, then the text is neutralised too (spreadsheets trim it)', () => {
    expect(csvText(' =1+1')).toBe("' =1+1");
    expect(csvText('  +cmd')).toBe("'  +cmd");
    expect(csvText(' \t-2')).toBe("' \t-2");
    expect(csvText('\u00a0@SUM(A1)')).toBe("'\u00a0@SUM(A1)");
    expect(csvText('\n=1')).toBe(`"'\n=1"`);
    expect(csvText('\t')).toBe("'\t");
    expect(csvText(' fridge')).toBe(' fridge');
  });

  it('when a formula character is not at the start, then the text is left alone', () => {
    expect(csvText('a=b')).toBe('a=b');
    expect(csvText('dev-1')).toBe('dev-1');
  });

  it('when a formula holds a comma, then it is both neutralised and quoted', () => {
    expect(csvText('=1,2')).toBe(`"'=1,2"`);
  });
});

describe('csvNumber', () => {
  it('when the number is finite, then it is written as a number, negative ones too', () => {
    expect(csvNumber(2150.5)).toBe('2150.5');
    expect(csvNumber(-3)).toBe('-3');
    expect(csvNumber(0)).toBe('0');
  });

  it('when the number is NaN or infinite, then the cell is empty', () => {
    expect(csvNumber(Number.NaN)).toBe('');
    expect(csvNumber(Infinity)).toBe('');
  });
});

describe('csvRow', () => {
  it('when a row mixes text and numbers, then cells are joined by commas and the row ends with CRLF', () => {
    expect(csvRow(['2026-03-29T00:00:00+01:00', 'agent-1', 'kettle, old', 2150, -1])).toBe('2026-03-29T00:00:00+01:00,agent-1,"kettle, old",2150,-1\r\n');
  });

  it('when a row is empty, then only the line end is written', () => {
    expect(csvRow([])).toBe('\r\n');
  });
});
