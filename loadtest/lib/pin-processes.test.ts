import { describe, expect, it } from 'vitest';
import { parsePinList } from './pin-processes.js';

describe('--pin lists', () => {
  it('when the list names known processes with CPU lists, then each part comes back', () => {
    expect(parsePinList('broker=0; read=1;viewers=0-1;', ['broker', 'read', 'viewers'])).toEqual([
      { name: 'broker', cpus: '0' },
      { name: 'read', cpus: '1' },
      { name: 'viewers', cpus: '0-1' },
    ]);
  });

  it('when a name is unknown or a CPU list is not one, then the error says what is accepted', () => {
    expect(() => parsePinList('writer=0', ['broker', 'read'])).toThrow('--pin: "writer=0" is not <broker|read>=<cpu list>');
    expect(() => parsePinList('broker=all', ['broker'])).toThrow('is not <broker>=<cpu list>');
  });
});
