import type { ResourceName } from '../../../server/resources/resource-names';
import type {
  AttachmentRef,
  EndReason,
  LoggedEvent,
} from '../../../server/customer-chat/session/visitor-events';
import { assertNever } from '../chat-phase';
import { splitLinks } from '../../shared/linkify';
import type { Texts } from '../texts';
import { el, type Child } from './dom';
import { imageThumbnail } from './image-thumbnail';

export interface ItemContext {
  texts: Texts;
  hideAgentName: boolean;
  showEstimatedWait: boolean;
  fileUrl: (id: string) => string;
}

/** One line of the conversation for an event; a message's text is text, its addresses links. */
export function eventItem(event: LoggedEvent, context: ItemContext): HTMLLIElement {
  const { texts, hideAgentName } = context;
  const named = (name: string) => !hideAgentName && name.trim() !== '';
  switch (event.type) {
    case 'message':
      if (event.from === 'system') return note(event.text);
      return messageItem(
        event.from === 'visitor',
        event.from === 'agent' && !named(event.name) ? '' : event.name,
        event.text,
        texts.time(event.at),
        event.attachment && fileLink(event.attachment, context),
      );
    case 'agentJoined':
      return note(
        named(event.name)
          ? texts.t('NamedAgentJoined', event.name)
          : texts.t('AnonymousAgentJoined'),
      );
    case 'agentLeft':
      if (event.reason === 'transferred') return note(texts.t('Transferring'));
      if (event.reason === 'handedOn') return note(texts.t('HandedOn'));
      return note(
        named(event.name) ? texts.t('NamedAgentLeft', event.name) : texts.t('AnonymousAgentLeft'),
      );
    case 'queued':
      return note(
        context.showEstimatedWait && event.estimatedWaitSeconds >= 0
          ? texts.waitTime(event.estimatedWaitSeconds)
          : texts.t('ChatRequested'),
      );
    case 'ended':
      return note(texts.t(endingText(event.by, event.cause)));
    default:
      return assertNever(event);
  }
}

/** The line that says why the chat ended, as far as the service said. */
function endingText(by: EndReason | undefined, cause: 'general' | 'groupClosed'): ResourceName {
  switch (by) {
    case 'visitor':
      return 'EndedByVisitor';
    case 'idle':
      return 'SessionTimeout';
    case 'gone':
      return 'EndedAwayTooLong';
    case 'agent':
      return 'EndedByAgent';
    case 'groupClosed':
      return 'EndedGroupClosed';
    case 'service':
      return 'EndedByService';
    case undefined:
      return cause === 'groupClosed' ? 'EndedGroupClosed' : 'Terminated';
    default:
      return assertNever(by);
  }
}

export function messageItem(
  mine: boolean,
  name: string,
  text: string,
  time: string,
  attachment?: Child,
): HTMLLIElement {
  return el(
    'li',
    { class: mine ? 'msg me' : 'msg' },
    el(
      'p',
      { class: 'meta' },
      name !== '' && el('span', {}, name),
      time !== '' && el('span', {}, time),
    ),
    attachment ? attachment : el('p', {}, ...linkified(text)),
  );
}

export function note(text: string): HTMLLIElement {
  return el('li', { class: 'note' }, text);
}

function linkified(text: string): Child[] {
  return splitLinks(text).map((run) =>
    'url' in run
      ? el('a', { href: run.url, target: '_blank', rel: 'noopener noreferrer' }, run.text)
      : run.text,
  );
}

/** Names that may be images; whether one is, its content decides (image-thumbnail.ts). */
const imageName = /\.(?:png|jpe?g|gif|webp)$/i;

function fileLink(file: AttachmentRef, context: ItemContext): HTMLElement {
  const size = new Intl.NumberFormat(context.texts.culture || undefined, {
    style: 'unit',
    unit: 'kilobyte',
    maximumFractionDigits: 0,
  }).format(Math.max(1, Math.round(file.size / 1024)));
  const url = context.fileUrl(file.id);
  const line = el(
    'p',
    {},
    el(
      'a',
      { class: 'file', href: url, download: file.name, rel: 'noopener noreferrer' },
      file.name,
    ),
    ` (${size})`,
  );
  if (imageName.test(file.name))
    void imageThumbnail(url, file.name).then((thumbnail) => thumbnail && line.append(thumbnail));
  return line;
}
