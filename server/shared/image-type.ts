import { ContentKind, sniffContent } from './content-sniffer';

/** The image kinds shown as thumbnails, by their content (never by the file's name). */
export const imageTypes = [
  ContentKind.Png,
  ContentKind.Jpeg,
  ContentKind.Gif,
  ContentKind.Webp,
] as const;
export type ImageType = (typeof imageTypes)[number];

/** What image the bytes are, or null when they are no image (whatever the file is called). */
export function imageTypeOf(bytes: Uint8Array): ImageType | null {
  const { kind } = sniffContent(bytes);
  return (imageTypes as readonly string[]).includes(kind) ? (kind as ImageType) : null;
}

export const imageMimeTypes: Record<ImageType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};
