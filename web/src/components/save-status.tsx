import type { ReactNode } from 'react';
import type { SaveState } from '../hooks/use-save';

export function SaveStatus({ save, savedText = 'Saved.' }: { save: SaveState; savedText?: string }): ReactNode {
  if (save.error !== undefined) {
    return (
      <p className="form-error" role="alert">
        {save.error}
      </p>
    );
  }
  return (
    <p role="status" className="hint">
      {save.saved ? savedText : ''}
    </p>
  );
}
