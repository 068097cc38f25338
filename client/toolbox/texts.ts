import type { ToolboxBoot, ToolboxStrings } from '../../server/customer-chat/gateway/toolbox-boot';
import { format } from '../../server/resources/resource-format';
import type { ResourceName } from '../../server/resources/resource-names';

/** The toolbox's words: every one comes from the resources of the visitor's culture. */
export class Texts {
  constructor(private readonly served: ToolboxStrings) {}

  get culture(): string {
    return this.served.culture;
  }

  get rightToLeft(): boolean {
    return this.served.rightToLeft;
  }

  /** The text of a name; the name itself when a file lacks it, so a gap shows rather than hides. */
  t(name: ResourceName, ...values: ReadonlyArray<string | number>): string {
    const template = this.served.strings[name] ?? name;
    return values.length === 0 ? template : format(template, ...values);
  }

  /**
   * "3 minutes": EstimatedWaitTime's values, rounded up; under a minute (0 included: nobody
   * ahead) its own text, since "1 minute" would promise a wait that may not come.
   */
  waitTime(seconds: number): string {
    if (seconds < 60) return this.t('EstimatedWaitUnderAMinute');
    const minutes = Math.ceil(seconds / 60);
    return this.t('EstimatedWaitTime', minutes, this.t(minutes === 1 ? 'Minute' : 'Minutes'));
  }

  time(at: number): string {
    return new Date(at).toLocaleTimeString(this.culture || undefined, {
      hour: '2-digit',
      minute: '2-digit',
    });
  }
}

/**
 * The texts served with the script, unless the page's Language names another culture: then that
 * culture's, fetched once (the server answers with the nearest culture it has). If the fetch fails,
 * the served texts are better than none.
 */
export async function loadTexts(boot: ToolboxBoot, language: string): Promise<Texts> {
  if (language === '' || language.toLowerCase() === boot.culture.toLowerCase())
    return new Texts(boot);
  try {
    const response = await fetch(
      `${boot.origin}/CustomerChat/Chat/Toolbox/Strings?culture=${encodeURIComponent(language)}`,
      { credentials: 'omit' },
    );
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return new Texts((await response.json()) as ToolboxStrings);
  } catch (error) {
    console.warn('The chat toolbox could not load the texts of', language, error);
    return new Texts(boot);
  }
}
