import { el } from '../dom';

/** A polite live region: what it is told is read out by screen readers and shown briefly. */
export class Announcer {
  readonly element = el('p', { className: 'status-line', attrs: { role: 'status' } });
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  announce(text: string): void {
    // Emptied first, so the same text twice is read twice.
    this.element.textContent = '';
    if (this.clearTimer !== undefined) clearTimeout(this.clearTimer);
    requestAnimationFrame(() => {
      this.element.textContent = text;
    });
    this.clearTimer = setTimeout(() => {
      this.element.textContent = '';
    }, 8_000);
  }
}
