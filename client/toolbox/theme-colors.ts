import type { ColorScheme } from '../../server/customer-chat/gateway/toolbox-boot';

/**
 * The toolbox's colours from the page's AccentColor and ColorScheme, as CSS custom properties,
 * keeping WCAG AA contrast (4.5:1 for text) whatever accent a site picks: text on the accent is
 * white or black, whichever contrasts more (an accent too light for white gets dark text),
 * and where the accent itself is text on the card (links, outlines, the secondary button) it is
 * darkened on the light card, or lightened on the dark one, until it reaches 4.5:1. Pure: no DOM.
 */

export const defaultAccent = '#0a58a8';

/** WCAG AA for normal text. */
export const minimumContrast = 4.5;

type Rgb = readonly [number, number, number];

const white: Rgb = [255, 255, 255];
// Black, not a softer ink: with white, one of the two reaches 4.58:1 on any colour.
const black: Rgb = [0, 0, 0];

/** The schemes' own colours; text colours reach AA on bg, soft and field. */
const palettes = {
  light: {
    bg: '#ffffff',
    ink: '#1b2330',
    mute: '#586172',
    line: '#d5dbe3',
    soft: '#eef2f7',
    field: '#ffffff',
    'field-line': '#8a94a3',
    alert: '#fff4d6',
    'alert-line': '#e8cf8a',
    err: '#b3261e',
  },
  dark: {
    bg: '#1b1f26',
    ink: '#e8ecf2',
    mute: '#aab3c0',
    line: '#3a414d',
    soft: '#2a303a',
    field: '#12161c',
    'field-line': '#7d8696',
    alert: '#3d3200',
    'alert-line': '#8a7300',
    err: '#ff8a80',
  },
} as const;

function parse(hex: string): Rgb {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((digit) => digit + digit).join('') : digits;
  return [0, 2, 4].map((at) => parseInt(full.slice(at, at + 2), 16)) as unknown as Rgb;
}

function hexOf(rgb: Rgb): string {
  return `#${rgb.map((part) => Math.round(part).toString(16).padStart(2, '0')).join('')}`;
}

function luminance([r, g, b]: Rgb): number {
  const linear = (part: number) => {
    const c = part / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The WCAG contrast ratio of two colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(parse(a)), luminance(parse(b))].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (light + 0.05) / (dark + 0.05);
}

function mix(from: Rgb, to: Rgb, share: number): Rgb {
  return from.map((part, index) => part + ((to[index] ?? 0) - part) * share) as unknown as Rgb;
}

/** The accent moved towards `towards` in small steps until it contrasts enough with each ground. */
function readableOn(accent: string, grounds: readonly string[], towards: Rgb): string {
  for (let step = 0; step <= 20; step += 1) {
    const candidate = hexOf(mix(parse(accent), towards, step / 20));
    if (grounds.every((ground) => contrast(candidate, ground) >= minimumContrast)) return candidate;
  }
  return hexOf(towards);
}

export interface AccentTokens {
  /** Fills: the tab, the header, primary buttons, the visitor's messages. */
  ac: string;
  /** Text and icons on those fills. */
  'on-ac': string;
  'ac-hover': string;
}

export function accentTokens(accent: string): AccentTokens {
  const base = parse(accent);
  const onWhite = contrast(hexOf(white), accent);
  const onDark = contrast(hexOf(black), accent);
  const light = onWhite >= onDark;
  return {
    ac: hexOf(base),
    'on-ac': hexOf(light ? white : black),
    // Away from the text colour, so hovering only raises the contrast.
    'ac-hover': hexOf(mix(base, light ? black : white, 0.15)),
  };
}

/** `--name:value;` for every colour of the scheme, the accent's text colour on its card included. */
function schemeDeclarations(scheme: 'light' | 'dark', accent: string): string {
  const palette = palettes[scheme];
  // Links and outlines sit on the card and in the agent's bubbles.
  const inkAccent = readableOn(
    accent,
    [palette.bg, palette.soft],
    scheme === 'light' ? black : white,
  );
  const tokens: Record<string, string> = { ...palette, 'ac-ink': inkAccent };
  const declarations = Object.entries(tokens).map(([name, value]) => `--${name}:${value};`);
  return `${declarations.join('')}color-scheme:${scheme};`;
}

/** The stylesheet text of a theme: custom properties on the toolbox's root element `.tb`. */
export function themeCss(accent: string, scheme: ColorScheme): string {
  const tokens = accentTokens(accent);
  const accentDeclarations = Object.entries(tokens)
    .map(([name, value]) => `--${name}:${value};`)
    .join('');
  if (scheme !== 'system') return `.tb{${accentDeclarations}${schemeDeclarations(scheme, accent)}}`;
  return (
    `.tb{${accentDeclarations}${schemeDeclarations('light', accent)}}` +
    `@media (prefers-color-scheme:dark){.tb{${schemeDeclarations('dark', accent)}}}`
  );
}
