import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isEmailAddress, normaliseEmail } from '../domain/email-address.js';

const NFD = (text: string): string => text.normalize('NFD');

describe('isEmailAddress', () => {
  it.each(['josé@example.org', NFD('josé@example.org'), 'user@bücher.example', 'user@xn--bcher-kva.example', '用户@例子.广告', 'x@пример.рф', 'ΟΔΥΣΣΕΥΣ@example.gr'])(
    'when an internationalised address is %j, then it is accepted (RFC 6531)',
    (email) => expect(isEmailAddress(email)).toBe(true),
  );

  it.each(['a@', '@b', 'a b@c.d', 'a@b', 'a..b@c.d', '.a@c.d', 'a@b..c', 'a<b>@c.d', 'a\u200b@b.c', 'a@b\u200b.c', 'a@😀.example', 'a@xn--zz.example', '"a b"@c.d'])(
    'when %j is not an address, then it is refused',
    (email) => expect(isEmailAddress(email)).toBe(false),
  );

  it('when zod accepted an ASCII address before, then it is still accepted', () => {
    for (const email of ['ada@example.test', 'first.last+tag@sub.example.co.uk', "o'neil@example.ie", 'a-@b-.cd', 'x_y@0x7f.org', 'A@B.CD']) {
      expect(z.email().safeParse(email).success, email).toBe(true);
      expect(isEmailAddress(email), email).toBe(true);
    }
  });
});

describe('normaliseEmail', () => {
  it('when an ASCII address is normalised, then it is trimmed and lower-cased as before, so stored accounts still match', () => {
    expect(normaliseEmail('  Ada@Example.TEST ')).toBe('ada@example.test');
  });

  it('when the same address is typed composed, decomposed or in capitals, then it has one form (NFC, lower case)', () => {
    const forms = ['josé@example.org', NFD('josé@example.org'), 'JOSÉ@Example.org', NFD('JOSÉ@EXAMPLE.ORG')].map(normaliseEmail);
    expect(new Set(forms)).toEqual(new Set(['josé@example.org']));
  });

  it('when a Greek address ends a word in sigma, then upper- and lower-case typing agree (ς folds to σ)', () => {
    expect(normaliseEmail('ΟΔΥΣΣΕΥΣ@example.gr')).toBe(normaliseEmail('οδυσσευσ@example.gr'));
    expect(normaliseEmail('οδυσσευς@example.gr')).toBe(normaliseEmail('οδυσσευσ@example.gr'));
  });

  it('when a domain is typed as a U-label or an A-label, then both are one address; ß is not folded to ss', () => {
    expect(normaliseEmail('user@BÜCHER.example')).toBe('user@xn--bcher-kva.example');
    expect(normaliseEmail('user@xn--bcher-kva.example')).toBe('user@xn--bcher-kva.example');
    expect(normaliseEmail('straße@example.de')).not.toBe(normaliseEmail('strasse@example.de'));
  });

  it('when the input is not an address (login takes it unchecked), then it still gets a form', () => {
    expect(normaliseEmail(' No-At-Sign ')).toBe('no-at-sign');
    expect(normaliseEmail('A@xn--zz')).toBe('a@xn--zz');
  });
});
