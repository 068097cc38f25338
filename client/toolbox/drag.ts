export interface Offset {
  x: number;
  y: number;
}

export interface CardMoverOptions {
  card: HTMLElement;
  /** The part the visitor grabs (the card's title bar); it takes the arrow keys too. */
  handle: HTMLElement;
  /** A stylesheet of its own: strict CSP pages refuse style attributes, not constructed sheets. */
  sheet: CSSStyleSheet;
  offset: Offset;
  onMoved: (offset: Offset) => void;
  /** False while the layout does not let the card move (a phone's full-screen card). */
  enabled: () => boolean;
}

const keyStep = 16;
const keys: Readonly<Record<string, Offset>> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

/**
 * AllowMovingChatCard: the card moves by dragging its title bar with any pointer, or with the
 * arrow keys while the title bar has focus (Shift for larger steps, Home to put it back). It never
 * leaves the window.
 */
export class CardMover {
  private offset: Offset;

  constructor(private readonly options: CardMoverOptions) {
    this.offset = options.offset;
    this.apply(this.offset);
    const { handle } = options;
    handle.addEventListener('pointerdown', (event) => this.drag(event));
    handle.addEventListener('keydown', (event) => this.key(event));
  }

  /** Brings the card back inside the window (after opening, or a resize of the window). */
  keepInside(): void {
    this.apply(this.clamp(this.offset));
  }

  private drag(start: PointerEvent): void {
    if (
      !this.options.enabled() ||
      start.button !== 0 ||
      (start.target as Element).closest('button')
    )
      return;
    const { handle } = this.options;
    const from = this.offset;
    handle.setPointerCapture(start.pointerId);
    const move = (event: PointerEvent) =>
      this.apply(
        this.clamp({
          x: from.x + event.clientX - start.clientX,
          y: from.y + event.clientY - start.clientY,
        }),
      );
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('pointercancel', end);
      this.options.onMoved(this.offset);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('pointercancel', end);
    start.preventDefault();
  }

  private key(event: KeyboardEvent): void {
    const direction = keys[event.key];
    if (!this.options.enabled() || (direction === undefined && event.key !== 'Home')) return;
    event.preventDefault();
    const step = event.shiftKey ? keyStep * 4 : keyStep;
    const next =
      direction === undefined
        ? { x: 0, y: 0 }
        : { x: this.offset.x + direction.x * step, y: this.offset.y + direction.y * step };
    this.apply(this.clamp(next));
    this.options.onMoved(this.offset);
  }

  private clamp(wanted: Offset): Offset {
    const rect = this.options.card.getBoundingClientRect();
    if (rect.width === 0) return wanted;
    // Where the card would be without any offset.
    const left = rect.left - this.offset.x;
    const top = rect.top - this.offset.y;
    const limit = (value: number, low: number, high: number) =>
      Math.round(Math.min(Math.max(value, low), Math.max(low, high)));
    return {
      x: limit(wanted.x, -left, innerWidth - left - rect.width),
      y: limit(wanted.y, -top, innerHeight - top - rect.height),
    };
  }

  private apply(offset: Offset): void {
    this.offset = offset;
    this.options.sheet.replaceSync(`.card{translate:${offset.x}px ${offset.y}px}`);
  }
}
