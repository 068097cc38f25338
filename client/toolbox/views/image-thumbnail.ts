import { el } from './dom';

/** Largest side of a thumbnail, in CSS pixels. */
const thumbnailSize = 160;

/**
 * A thumbnail of an image attachment, linked to the full image in a new tab. CustomerChat serves a
 * file as an image only when its content is one (png, jpeg, gif, webp), so a disguised file gets
 * none; and the image must decode as well. Drawn on a canvas from bytes fetched over the
 * connection the page's CSP allows already: a strict img-src need not name CustomerChat. Resolves
 * undefined when there is no thumbnail to show.
 */
export async function imageThumbnail(url: string, name: string): Promise<HTMLElement | undefined> {
  try {
    const response = await fetch(url, { credentials: 'omit' });
    if (!response.ok || !(response.headers.get('content-type') ?? '').startsWith('image/'))
      return undefined;
    const bitmap = await createImageBitmap(await response.blob());
    const scale = Math.min(1, thumbnailSize / Math.max(bitmap.width, bitmap.height));
    const canvas = el('canvas', {
      width: Math.max(1, Math.round(bitmap.width * scale)),
      height: Math.max(1, Math.round(bitmap.height * scale)),
      role: 'img',
      'aria-label': name,
    });
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return el(
      'a',
      { class: 'thumb', href: `${url}&inline=1`, target: '_blank', rel: 'noopener noreferrer' },
      canvas,
    );
  } catch {
    // Not an image after all, or the file is gone: the link to it stays, without a thumbnail.
    return undefined;
  }
}
