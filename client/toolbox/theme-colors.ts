import type { ColorScheme } from '../../server/customer-chat/gateway/toolbox-boot';

/**
 * The toolbox's colours from the page's AccentColor and ColorScheme, as CSS custom properties,
 * keeping WCAG AA contrast (4.5:1 for text) whatever accent a site picks: text on the accent is
 * white or black, whichever contrasts more (an accent too light for white gets dark text), and
 * where the accent itself is text on the card (links, outlines, the secondary button) it is
 * darkened on the light card, or lightened on the dark one, until it reaches 4.5:1. Pure: no DOM.
 */

export const defaultAccent = '#0a58a8';

/** WCAG AA for normal text. */
export const minimumContrast = 4.5;

type Rgb = number[];

const white = [255, 255, 255];
// Black, not a softer ink: with white, one of the two reaches 4.58:1 on any colour.
const black = [0, 0, 0];

/**
 * The schemes' own colours (text colours reach AA on bg, soft, field and alert), and the two
 * grounds the accent is text on: the card and the agent's bubbles.
 */
const schemes = {
  light: {
    css: '--bg:#ffffff;--ink:#1b2330;--mute:#586172;--line:#d5dbe3;--soft:#eef2f7;--field:#ffffff;--field-line:#8a94a3;--alert:#fff4d6;--alert-line:#e8cf8a;--err:#b3261e;',
    grounds: ['#ffffff', '#eef2f7'],
    towards: black,
  },
  dark: {
    css: '--bg:#1b1f26;--ink:#e8ecf2;--mute:#aab3c0;--line:#3a414d;--soft:#2a303a;--field:#12161c;--field-line:#7d8696;--alert:#3d3200;--alert-line:#8a7300;--err:#ff8a80;',
    grounds: ['#1b1f26', '#2a303a'],
    towards: white,
  },
};

const parse = (hex: string): Rgb => {
  const digits = hex.length === 4 ? hex.replace(/\w/g, '$&$&') : hex;
  return [1, 3, 5].map((at) => parseInt(digits.slice(at, at + 2), 16));
};

const hexOf = (rgb: Rgb) =>
  `#${rgb.map((part) => Math.round(part).toString(16).padStart(2, '0')).join('')}`;

const luminance = (rgb: Rgb) =>
  rgb
    .map((part) => part / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, index) => sum + c * ([0.2126, 0.7152, 0.0722][index] ?? 0), 0);

/** The WCAG contrast ratio of two colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [one, two] = [luminance(parse(a)), luminance(parse(b))];
  return (Math.max(one, two) + 0.05) / (Math.min(one, two) + 0.05);
}

const mix = (from: Rgb, to: Rgb, share: number) =>
  from.map((part, index) => part + ((to[index] ?? 0) - part) * share);

/** The accent moved towards `towards` in small steps until it contrasts enough with each ground. */
function readableOn(accent: string, grounds: readonly string[], towards: Rgb): string {
  for (let step = 0; step < 20; step += 1) {
    const candidate = hexOf(mix(parse(accent), towards, step / 20));
    if (grounds.every((ground) => contrast(candidate, ground) >= minimumContrast)) return candidate;
  }
  return hexOf(towards);
}

function schemeDeclarations(scheme: 'light' | 'dark', accent: string): string {
  const { css, grounds, towards } = schemes[scheme];
  return `${css}--ac-ink:${readableOn(accent, grounds, towards)};color-scheme:${scheme};`;
}

/** The stylesheet text of a theme: custom properties on the toolbox's root element `.tb`. */
export function themeCss(accent: string, scheme: ColorScheme): string {
  const base = parse(accent);
  const light = contrast('#ffffff', accent) >= contrast('#000000', accent);
  // The hover colour moves away from the text colour, so hovering only raises the contrast.
  const fill = `--ac:${hexOf(base)};--on-ac:${hexOf(light ? white : black)};--ac-hover:${hexOf(mix(base, light ? black : white, 0.15))};`;
  if (scheme !== 'system') return `.tb{${fill}${schemeDeclarations(scheme, accent)}}`;
  return (
    `.tb{${fill}${schemeDeclarations('light', accent)}}` +
    `@media (prefers-color-scheme:dark){.tb{${schemeDeclarations('dark', accent)}}}`
  );
}
