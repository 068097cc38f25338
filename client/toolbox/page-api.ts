import type {
  ChatToolboxApi,
  ChatToolboxEventName,
  ChatToolboxEvents,
  ChatToolboxUser,
} from './chat-toolbox';
import type { ChatToolboxNamespace } from './namespace';

/** What the running toolbox does for the page's calls. */
export interface PageControls {
  open(): void;
  close(): void;
  toggle(): void;
  show(): void;
  hide(): void;
  setUser(user: ChatToolboxUser): void;
}

type ControlName = keyof PageControls;
const controlNames: readonly ControlName[] = ['open', 'close', 'toggle', 'show', 'hide', 'setUser'];
const eventNames: readonly ChatToolboxEventName[] = [
  'ready',
  'availability',
  'chatStarted',
  'queuePosition',
  'agentJoined',
  'message',
  'unread',
  'chatEnded',
];

type AnyHandler = (payload: unknown) => void;

/**
 * Mitel.ChatToolbox's methods and events (typed by chat-toolbox.d.ts, which ships to websites).
 * The methods exist as soon as the script has run; what they ask is kept and done in order once the
 * toolbox is ready, after the calls a script above the toolbox left in `Mitel.ChatToolbox.queue`.
 * A page's handler that throws is reported on the console; the toolbox and the other handlers
 * carry on.
 */
export class PageApi {
  private readonly handlers = new Map<ChatToolboxEventName, Set<AnyHandler>>();
  private readonly waiting: Array<(controls: PageControls) => void> = [];
  private controls: PageControls | undefined;

  install(namespace: ChatToolboxNamespace): void {
    const api: ChatToolboxApi = {
      open: () => this.call('open'),
      close: () => this.call('close'),
      toggle: () => this.call('toggle'),
      show: () => this.call('show'),
      hide: () => this.call('hide'),
      setUser: (user) => this.call('setUser', user),
      on: (event, handler) => this.on(event, handler as AnyHandler),
      off: (event, handler) => this.off(event, handler as AnyHandler),
    };
    const queued = namespace.queue;
    Object.assign(namespace, api);
    namespace.queue = { push: (...calls: unknown[]) => calls.forEach((call) => this.run(call)) };
    if (Array.isArray(queued)) queued.forEach((call) => this.run(call));
  }

  /** The toolbox is running: the calls kept so far are made, then `ready` goes out. */
  attach(controls: PageControls): void {
    this.controls = controls;
    for (const call of this.waiting.splice(0)) call(controls);
    this.emit('ready', {});
  }

  emit<E extends ChatToolboxEventName>(event: E, payload: ChatToolboxEvents[E]): void {
    const frozen = Object.freeze({ ...payload });
    for (const handler of [...(this.handlers.get(event) ?? [])])
      this.deliver(event, handler, frozen);
  }

  private call<M extends ControlName>(method: M, ...args: Parameters<PageControls[M]>): void {
    const make = (controls: PageControls) =>
      (controls[method] as (...given: Parameters<PageControls[M]>) => void)(...args);
    if (this.controls === undefined) this.waiting.push(make);
    else make(this.controls);
  }

  /** One entry of the queue: [method, ...arguments]; anything else is reported and skipped. */
  private run(call: unknown): void {
    const [method, ...args] = Array.isArray(call) ? (call as unknown[]) : [];
    if (method === 'on' || method === 'off') {
      const [event, handler] = args;
      if (isEventName(event) && typeof handler === 'function')
        return void this[method](event, handler as AnyHandler);
    } else if (method === 'setUser') {
      return this.call('setUser', (args[0] ?? {}) as ChatToolboxUser);
    } else if (controlNames.includes(method as ControlName)) {
      return this.call(method as Exclude<ControlName, 'setUser'>);
    }
    console.warn('Mitel.ChatToolbox.queue: not a call of the page API, skipped:', call);
  }

  private on(event: ChatToolboxEventName, handler: AnyHandler): () => void {
    if (!isEventName(event) || typeof handler !== 'function') {
      console.warn(`Mitel.ChatToolbox.on: "${String(event)}" is not an event, or no handler.`);
      return () => undefined;
    }
    let set = this.handlers.get(event);
    if (set === undefined) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    // A handler that comes after `ready` has gone out still hears it, once.
    if (event === 'ready' && this.controls !== undefined)
      queueMicrotask(() => {
        if (set.has(handler)) this.deliver(event, handler, Object.freeze({}));
      });
    return () => this.off(event, handler);
  }

  private off(event: ChatToolboxEventName, handler: AnyHandler): void {
    this.handlers.get(event)?.delete(handler);
  }

  private deliver(event: ChatToolboxEventName, handler: AnyHandler, payload: object): void {
    try {
      handler(payload);
    } catch (error) {
      console.error(`A Mitel.ChatToolbox "${event}" handler failed:`, error);
    }
  }
}

function isEventName(value: unknown): value is ChatToolboxEventName {
  return eventNames.includes(value as ChatToolboxEventName);
}
