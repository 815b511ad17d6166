// Saving a form: busy while the call runs, then a success note or the error message.
import { useState } from 'react';
import { messageOf } from '../api/api-error';

export interface SaveState {
  busy: boolean;
  error: string | undefined;
  saved: boolean;
  run: (action: () => Promise<void>) => Promise<void>;
}

export function useSave(): SaveState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      await action();
      setSaved(true);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, saved, run };
}
