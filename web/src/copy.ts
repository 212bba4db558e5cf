/** A button that copies a text (a ticket, a code, a key), for the public page and the app alike. */
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { texts } from './i18n.js';

const cx = texts({
  copy: ['Salin', 'Copy'],
  copied: ['Tersalin ✓', 'Copied ✓'],
});

/** Copies a text; on plain http (no Clipboard API outside a secure origin) through a selected textarea. */
export function CopyButton({ text, className }: { text: string; className?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setDone(true);
    setTimeout(() => setDone(false), 2000);
  };
  return html`<button type="button" class=${className} onClick=${copy}>${done ? cx('copied') : cx('copy')}</button>`;
}
