/**
 * What the server hands the toolbox script along with it, so the page needs no second round trip:
 * the strings of the visitor's culture and where CustomerChat lives. Plain types: the bundle uses it.
 */
export interface ToolboxBoot {
  /** Absolute origin of CustomerChat, e.g. https://chat.example.com. */
  origin: string;
  culture: string;
  rightToLeft: boolean;
  strings: Readonly<Record<string, string>>;
}
