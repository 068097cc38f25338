import type { Texts } from '../texts';
import { el, icon, icons, show } from './dom';

export interface UploadHandlers {
  checkFile: (file: File) => string | undefined;
  /** Undefined when the file arrived, else the text of the problem. */
  upload: (file: File, progress: (percent: number) => void) => Promise<string | undefined>;
}

/**
 * Sending a file: Browse picks it (checked at once against the limits), the bar shows its name
 * and the Upload button, then the progress, then UploadComplete or UploadFailed.
 */
export function uploadBar(texts: Texts, handlers: UploadHandlers) {
  const input = el('input', {
    type: 'file',
    class: 'vh',
    tabindex: -1,
    'aria-label': texts.t('SelectFile'),
  });
  const browse = el(
    'button',
    {
      class: 'icon',
      type: 'button',
      'aria-label': texts.t('Browse'),
      title: texts.t('SelectFile'),
    },
    icon(icons.attach),
  );
  const bar = el('div', { class: 'bar', role: 'status', hidden: true });
  browse.addEventListener('click', () => input.click());

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file === undefined) return;
    const problem = handlers.checkFile(file);
    bar.hidden = false;
    if (problem !== undefined) {
      show(bar, el('span', { class: 'err' }, problem));
      return;
    }
    const send = el(
      'button',
      { class: 'secondary', type: 'button', title: texts.t('UploadTheFile') },
      texts.t('Upload'),
    );
    show(bar, el('span', { class: 'name' }, file.name), send);
    send.focus();
    send.addEventListener('click', () => {
      const progress = el('progress', { max: 100, value: 0, 'aria-label': file.name });
      const status = el('span', {}, texts.t('UploadProgress', 0));
      show(bar, el('span', { class: 'name' }, file.name), status, progress);
      browse.disabled = true;
      void handlers
        .upload(file, (percent) => {
          progress.value = percent;
          status.textContent = texts.t('UploadProgress', percent);
        })
        .then((problem) => {
          browse.disabled = false;
          show(
            bar,
            problem === undefined
              ? el('span', {}, texts.t('UploadComplete'))
              : el('span', { class: 'err' }, texts.t('UploadFailed'), ' ', problem),
          );
        });
    });
  });
  return { input, browse, bar };
}
