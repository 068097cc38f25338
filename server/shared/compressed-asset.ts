import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

export type AssetEncoding = 'br' | 'gzip' | 'identity';

/**
 * A text served to many browsers, compressed once when it is made (brotli and gzip at their
 * highest levels: the cost is paid once, the bytes saved on every load). Each encoding has its
 * own ETag, so a cache that holds one encoding never revalidates it against another.
 */
export interface CompressedAsset {
  readonly body: string;
  /** The identity ETag; the encoded ones add `-br` / `-gz` inside the quotes. */
  readonly etag: string;
  readonly bytes: Readonly<Record<AssetEncoding, Buffer>>;
  readonly etags: Readonly<Record<AssetEncoding, string>>;
}

export function compressedAsset(body: string): CompressedAsset {
  const identity = Buffer.from(body, 'utf8');
  const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  const tagged = (suffix: string) => `${etag.slice(0, -1)}-${suffix}"`;
  return {
    body,
    etag,
    bytes: {
      br: brotliCompressSync(identity, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        },
      }),
      gzip: gzipSync(identity, { level: 9 }),
      identity,
    },
    etags: { br: tagged('br'), gzip: tagged('gz'), identity: etag },
  };
}

/**
 * The smallest encoding the request accepts. Browsers list gzip before br at the same quality,
 * which a negotiation by their order would pick: the server's order decides instead.
 */
export function chooseEncoding(req: Request): AssetEncoding {
  if (req.acceptsEncodings('br') === 'br') return 'br';
  if (req.acceptsEncodings('gzip') === 'gzip') return 'gzip';
  return 'identity';
}

/**
 * Answers with the asset in the best encoding the request accepts, or 304 when its
 * If-None-Match holds that encoding's ETag. The caller sets Content-Type and Cache-Control first.
 */
export function sendCompressedAsset(req: Request, res: Response, asset: CompressedAsset): void {
  const encoding = chooseEncoding(req);
  res.vary('Accept-Encoding');
  res.set('ETag', asset.etags[encoding]);
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  if (encoding !== 'identity') res.set('Content-Encoding', encoding);
  res.send(asset.bytes[encoding]);
}
