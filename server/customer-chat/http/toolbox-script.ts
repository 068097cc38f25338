import { createHash } from 'node:crypto';
import type { ToolboxBoot } from '../gateway/toolbox-boot';

export interface ToolboxScript {
  body: string;
  etag: string;
}

/**
 * The toolbox as served: the bundle wrapped with its boot data (the strings of one culture and
 * CustomerChat's origin), built once per culture and origin and kept.
 */
export class ToolboxScripts {
  private readonly cache = new Map<string, ToolboxScript>();

  constructor(
    private readonly bundle: string,
    private readonly bootFor: (culture: string, origin: string) => ToolboxBoot,
  ) {}

  script(culture: string, origin: string): ToolboxScript {
    const key = `${culture}\n${origin}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    // "</" is escaped so the boot data can never close a script element it is inlined into.
    const boot = JSON.stringify(this.bootFor(culture, origin)).replace(/<\//g, '<\\/');
    const body = `(function(){var __customerChatBoot=${boot};\n${this.bundle}\n})();\n`;
    const script = {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    };
    if (this.cache.size < 256) this.cache.set(key, script);
    return script;
  }
}
