import type { ToolboxConfig } from '../../server/customer-chat/gateway/toolbox-boot';
import { defaultAccent, themeCss } from './theme-colors';

/**
 * Applies AccentColor and ColorScheme (checked with the rest of Config) to the toolbox: one more
 * constructed stylesheet in its shadow root, after the main sheet, so its custom properties win.
 * No style attribute and no <style>: a page with a strict style-src takes it.
 */
export function adoptTheme(
  host: HTMLElement,
  config: Pick<ToolboxConfig, 'AccentColor' | 'ColorScheme'>,
): void {
  const root = host.shadowRoot;
  if (root === null) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(themeCss(config.AccentColor || defaultAccent, config.ColorScheme));
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
