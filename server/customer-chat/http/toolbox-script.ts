import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { compressedAsset, type CompressedAsset } from '../../shared/compressed-asset';
import type { ResourceCatalog } from '../../resources/resource-catalog';
import {
  agentOnlyTexts,
  checkToolboxConfig,
  type ToolboxBoot,
  type ToolboxConfig,
  type ToolboxStrings,
} from '../gateway/toolbox-boot';

/** A culture's texts as the toolbox gets them: without the agents' notices, which would only weigh down every page. */
export function toolboxStrings(resources: ResourceCatalog, culture: string): ToolboxStrings {
  return {
    culture,
    rightToLeft: resources.isRightToLeft(culture),
    strings: Object.fromEntries(
      Object.entries(resources.strings(culture)).filter(([name]) => !agentOnlyTexts.includes(name)),
    ),
  };
}

export interface ServedText {
  body: string;
  etag: string;
}

export interface ToolboxScriptsOptions {
  /** The built toolbox (dist/client/toolbox.js). */
  bundle: string;
  /** The texts of a culture ('' neutral), already resolved with their fallbacks. */
  stringsFor: (culture: string) => ToolboxStrings;
  /** The admin's toolbox.config.js, checked. */
  defaults: Partial<ToolboxConfig>;
  /** False with web.config.json's IgnoreCustomerDetails. */
  asksCustomerDetails: boolean;
  /** web.config.json's upstreamSendRetrySeconds: the page waits that long for a send's answer, and more. */
  sendWindowSeconds: number;
  /** The page API's declarations (client/toolbox/chat-toolbox.d.ts); none: not served. */
  types?: string;
}

/** Each variant kept at most once; a flood of odd Host headers cannot grow it without bound. */
const maxCached = 256;

/**
 * The toolbox as served: the bundle wrapped with its boot data (the strings of one culture, the
 * admin's defaults and CustomerChat's origin), built once per culture and origin and kept; and the
 * strings of a culture alone, for a page whose Language differs from the one served.
 */
export class ToolboxScripts {
  /** Compressed once per variant: it is served to every visitor (27 KB gzip'd instead of 77). */
  private readonly scripts = new Map<string, CompressedAsset>();
  private readonly texts = new Map<string, ServedText>();
  /** Served beside the script, for websites that type their calls of Mitel.ChatToolbox. */
  readonly types: CompressedAsset | undefined;

  constructor(private readonly options: ToolboxScriptsOptions) {
    this.types = options.types === undefined ? undefined : compressedAsset(options.types);
  }

  script(culture: string, origin: string): CompressedAsset {
    const key = `${culture}\n${origin}`;
    const cached = this.scripts.get(key);
    if (cached !== undefined) return cached;
    const boot: ToolboxBoot = {
      origin,
      ...this.options.stringsFor(culture),
      defaults: this.options.defaults,
      asksCustomerDetails: this.options.asksCustomerDetails,
      sendWindowSeconds: this.options.sendWindowSeconds,
    };
    // "</" is escaped so the boot data can never close a script element it is inlined into.
    const data = JSON.stringify(boot).replace(/<\//g, '<\\/');
    const served = compressedAsset(
      `(function(){var __customerChatBoot=${data};\n${this.options.bundle}\n})();\n`,
    );
    if (this.scripts.size < maxCached) this.scripts.set(key, served);
    return served;
  }

  strings(culture: string): ServedText {
    const cached = this.texts.get(culture);
    if (cached !== undefined) return cached;
    const served = withEtag(JSON.stringify(this.options.stringsFor(culture)));
    if (this.texts.size < maxCached) this.texts.set(culture, served);
    return served;
  }
}

function withEtag(body: string): ServedText {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Reads the admin's toolbox defaults: a script in the shape of the specification's Config.js
 * (`Mitel.ChatToolbox.Config = {…}`), run once at start-up in an empty context with nothing to
 * reach. A missing file means the built-in defaults; a wrong one stops start-up naming the property.
 */
export function loadToolboxConfigFile(path: string): Partial<ToolboxConfig> {
  if (!existsSync(path)) return {};
  const Mitel = { ChatToolbox: { Config: undefined as unknown } };
  try {
    runInNewContext(readFileSync(path, 'utf8'), { Mitel }, { filename: path, timeout: 1000 });
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const values = Mitel.ChatToolbox.Config;
  if (typeof values !== 'object' || values === null || Array.isArray(values))
    throw new Error(`${path}: it must set Mitel.ChatToolbox.Config to an object.`);
  const { config, problems } = checkToolboxConfig(values as Record<string, unknown>);
  const [problem] = problems;
  if (problem !== undefined) throw new Error(`${path}: ${problem.name} ${problem.reason}.`);
  return Object.freeze(config);
}
