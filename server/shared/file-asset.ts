import { readFileSync, statSync } from 'node:fs';
import { compressedAsset, type CompressedAsset } from './compressed-asset';

/**
 * A file served as a CompressedAsset, compressed once and again only when the file changes (a
 * rebuild while the server runs shows at the next load). Undefined while the file is missing.
 */
export function fileAsset(path: string): () => CompressedAsset | undefined {
  let cached: { version: string; asset: CompressedAsset } | undefined;
  return () => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    const version = `${stats.mtimeMs}:${stats.size}`;
    if (cached?.version !== version) {
      cached = { version, asset: compressedAsset(readFileSync(path, 'utf8')) };
    }
    return cached.asset;
  };
}
