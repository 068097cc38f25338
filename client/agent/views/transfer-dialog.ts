import type { ConsoleController } from '../console-controller';
import { consoleText as t, fill } from '../console-text';
import type { ChatSession, ConsoleStore } from '../console-store';
import { el } from '../dom';
import { ModalDialog } from './modal-dialog';

/** Hands a chat to another service group (its queue) or to one agent by ID. */
export class TransferDialog {
  private readonly dialog: ModalDialog;
  private readonly toGroup: HTMLInputElement;
  private readonly toAgent: HTMLInputElement;
  private readonly group: HTMLSelectElement;
  private readonly agent: HTMLInputElement;
  private chat: ChatSession | undefined;

  constructor(
    private readonly store: ConsoleStore,
    private readonly controller: ConsoleController,
  ) {
    this.dialog = new ModalDialog({
      id: 'transfer-dialog',
      submitText: t.transferSubmit,
      onSubmit: () => this.transfer(),
    });
    const radio = (id: string, checked: boolean) =>
      el('input', {
        id,
        attrs: { type: 'radio', name: 'transfer-kind', checked },
        on: { change: () => this.syncKind() },
      });
    this.toGroup = radio('transfer-to-group', true);
    this.toAgent = radio('transfer-to-agent', false);
    this.group = el('select', { id: 'transfer-group' });
    this.agent = el('input', {
      id: 'transfer-agent',
      attrs: { autocomplete: 'off', autocapitalize: 'off', spellcheck: false },
    });
    this.dialog.fields.append(
      el(
        'fieldset',
        { className: 'transfer-kind' },
        el('legend', { className: 'visually-hidden', text: t.transfer }),
        el(
          'div',
          { className: 'choice' },
          this.toGroup,
          el('label', { text: t.transferToGroup, attrs: { for: this.toGroup.id } }),
        ),
        el(
          'div',
          { className: 'choice' },
          this.toAgent,
          el('label', { text: t.transferToAgent, attrs: { for: this.toAgent.id } }),
        ),
      ),
      el('label', { text: t.transferGroupLabel, attrs: { for: this.group.id } }),
      this.group,
      el('label', { text: t.transferAgentLabel, attrs: { for: this.agent.id } }),
      this.agent,
    );
  }

  get element(): HTMLDialogElement {
    return this.dialog.element;
  }

  open(chat: ChatSession, returnFocus: () => void): void {
    this.chat = chat;
    const current = chat.details?.ServiceGroupID;
    const groups = this.store.overview.filter((group) => group.Open);
    this.group.replaceChildren(
      ...groups.map((group) =>
        el('option', {
          text: group.Name,
          attrs: { value: group.ServiceGroupID, selected: group.ServiceGroupID !== current },
        }),
      ),
    );
    this.agent.value = '';
    this.syncKind();
    const name = chat.details?.CustomerName || t.anonymous;
    this.dialog.open(fill(t.transferHeading, name), returnFocus, this.toGroup);
  }

  private syncKind(): void {
    const byGroup = this.toGroup.checked;
    this.group.disabled = !byGroup;
    this.agent.disabled = byGroup;
    this.agent.required = !byGroup;
  }

  private async transfer(): Promise<void> {
    const chat = this.chat;
    if (chat === undefined) return;
    if (this.toGroup.checked) {
      await this.controller.transfer(chat.id, { ServiceGroupID: Number(this.group.value) });
    } else {
      await this.controller.transfer(chat.id, { AgentID: this.agent.value.trim() });
    }
  }
}
