import type { ToolboxBoot } from '../../server/customer-chat/gateway/toolbox-boot';
import type { LoggedEvent } from '../../server/customer-chat/session/visitor-events';
import { connect } from './socket-client';

declare const __customerChatBoot: ToolboxBoot;

const boot = __customerChatBoot;
const storageKey = 'customerchat.token';
const text = (name: string) => boot.strings[name] ?? name;

/** A first, plain toolbox: request a chat, talk, resume after a page change. */
function start(): void {
  const host = document.createElement('div');
  document.body.append(host);
  const root = host.attachShadow({ mode: 'open' });
  const panel = document.createElement('section');
  panel.setAttribute('aria-label', text('Title'));
  const log = document.createElement('ol');
  log.setAttribute('aria-live', 'polite');
  const form = document.createElement('form');
  const input = document.createElement('input');
  input.setAttribute('aria-label', text('TypeMessageHere'));
  input.placeholder = text('TypeMessageHere');
  const send = document.createElement('button');
  send.textContent = text('Send');
  form.append(input, send);
  panel.append(log, form);
  root.append(panel);

  const socket = connect(boot.origin);
  let token = sessionStorage.getItem(storageKey);
  let lastSeq = 0;
  const show = (event: LoggedEvent) => {
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    const item = document.createElement('li');
    if (event.type === 'message') item.textContent = `${event.name}: ${event.text}`;
    else if (event.type === 'agentJoined')
      item.textContent = text('NamedAgentJoined').replace('{0}', event.name);
    else if (event.type === 'agentLeft')
      item.textContent = text('NamedAgentLeft').replace('{0}', event.name);
    else if (event.type === 'ended') item.textContent = text('Terminated');
    else
      item.textContent = text('EstimatedWaitTime').replace(
        '{0}',
        String(event.estimatedWaitSeconds),
      );
    log.append(item);
  };
  socket.on('chat:event', show);
  socket.on('connect', () => {
    if (token === null) return;
    socket.emit('chat:resume', { token, afterSeq: lastSeq }, (reply) => {
      if (reply.ok) reply.events.forEach(show);
      else sessionStorage.removeItem(storageKey);
    });
  });
  form.addEventListener('submit', (submit) => {
    submit.preventDefault();
    const message = input.value.trim();
    if (message === '') return;
    input.value = '';
    if (token === null) {
      socket.emit(
        'chat:request',
        { tenantId: -1, serviceGroupId: 1, initialMessage: message },
        (reply) => {
          if (reply.ok && reply.token !== undefined) {
            token = reply.token;
            sessionStorage.setItem(storageKey, reply.token);
          }
        },
      );
      return;
    }
    socket.emit(
      'message:send',
      { clientMessageId: crypto.randomUUID(), text: message },
      () => undefined,
    );
  });
}

if (document.readyState === 'complete') start();
else window.addEventListener('load', start, { once: true });
