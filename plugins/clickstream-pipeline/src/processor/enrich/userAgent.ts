import { UAParser } from 'ua-parser-js';
import { isbot } from 'isbot';

/** What the user agent says about the device. @public */
export interface UserAgentInfo {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  device: string | null;
  /** `Desktop`, `Mobile`, `Tablet`, `Smart TV`, `Wearable`, `Console`, `Bot` or `Other`. */
  deviceCategory: string;
  isBot: boolean;
}

const CATEGORY: Record<string, string> = {
  mobile: 'Mobile',
  tablet: 'Tablet',
  smarttv: 'Smart TV',
  wearable: 'Wearable',
  console: 'Console',
  embedded: 'Other',
};

/**
 * Parses user agents with a maintained parser (ua-parser-js 1.x, MIT) and flags bots (isbot).
 * Every event of a request shares its user agent, and real traffic repeats a few thousand
 * strings, so results are cached.
 * @public
 */
export class UserAgentParser {
  readonly #cache = new Map<string, UserAgentInfo>();
  constructor(private readonly cacheSize = 10_000) {}

  parse(userAgent: string): UserAgentInfo {
    let info = this.#cache.get(userAgent);
    if (!info) {
      info = parseUserAgent(userAgent);
      if (this.#cache.size >= this.cacheSize) this.#cache.clear();
      this.#cache.set(userAgent, info);
    }
    return info;
  }
}

function parseUserAgent(userAgent: string): UserAgentInfo {
  const result = new UAParser(userAgent).getResult();
  const bot = userAgent.length > 0 && isbot(userAgent);
  const device =
    [result.device.vendor, result.device.model].filter(Boolean).join(' ') ||
    null;
  let deviceCategory = result.device.type
    ? CATEGORY[result.device.type] ?? 'Other'
    : 'Desktop';
  if (bot) deviceCategory = 'Bot';
  else if (!result.browser.name && !result.os.name) deviceCategory = 'Other';
  return {
    browser: result.browser.name ?? null,
    browserVersion: result.browser.version ?? null,
    os: result.os.name ?? null,
    osVersion: result.os.version ?? null,
    device,
    deviceCategory,
    isBot: bot,
  };
}
