// Copies a text to the clipboard and says so; where the clipboard is not available (plain http
// on another host) it says how to copy by hand instead.
import { useState, type ReactNode } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }): ReactNode {
  const [result, setResult] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = (): void => {
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (clipboard === undefined) {
      setResult('failed');
      return;
    }
    clipboard.writeText(text).then(
      () => setResult('copied'),
      () => setResult('failed'),
    );
  };
  return (
    <span className="copy">
      <button type="button" className="button secondary small" onClick={copy}>
        {label}
      </button>
      <span role="status" className="hint">
        {result === 'copied' ? ' Copied.' : result === 'failed' ? ' Select the text and copy it by hand.' : ''}
      </span>
    </span>
  );
}
