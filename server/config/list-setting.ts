import { z } from 'zod';

/**
 * A list setting written either as the specification's comma-separated text ("exe, bat") or as a
 * JSON array; normalised to lower-case entries without dots or blanks.
 */
export const extensionList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (typeof value === 'string' ? value.split(',') : value))
  .transform((items) =>
    items.map((item) => item.trim().toLowerCase().replace(/^\./, '')).filter((item) => item !== ''),
  );
