/**
 * Traffic source detection and classification, in the reference solution's order: what the
 * SDK set (`_traffic_source_*`), then UTM parameters and click ids on the page URL, then the
 * referrer. The source is then put in a category (Search, Social, Shopping, Video, Internal)
 * and one of the 17 channel groups by ordered rules. A project can add its own rules; they
 * are tried before the defaults.
 */

import { RE2JS } from 're2js';

/** @public */
export interface TrafficSource {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
  campaignId: string | null;
  clidPlatform: string | null;
  clid: string | null;
  category: string | null;
  channelGroup: string;
}

/** A referrer domain and what it is (`google.` matches any Google country domain). @public */
export interface SourceCategoryRule {
  domain: string;
  source: string;
  category: 'Search' | 'Social' | 'Shopping' | 'Video' | string;
}

/**
 * A channel group and the conditions that select it: RE2 regular expressions (linear time, no
 * backreferences or lookaround), case-insensitive, all of which must match. @public
 */
export interface ChannelRule {
  channel: string;
  source?: string;
  medium?: string;
  campaign?: string;
  category?: string;
  /** `true`: only when no source and no medium are known. */
  direct?: boolean;
}

/** Characters of a source, medium, campaign or category that channel rules look at. */
const MAX_MATCHED_LENGTH = 256;

/** @public */
export interface TrafficSourceRules {
  categories: SourceCategoryRule[];
  channels: ChannelRule[];
}

const cat = (category: string, entries: string): SourceCategoryRule[] =>
  entries.split(' ').map(entry => {
    const [domain, source] = entry.split('=');
    return { domain, source: source ?? domain.replace(/\.$/, ''), category };
  });

const PAID = '^(.*cp.*|ppc|retargeting|paid.*)$';

/** The default rules, after GA4's default channel grouping (which the reference follows). @public */
export const defaultTrafficSourceRules: TrafficSourceRules = {
  categories: [
    ...cat(
      'Search',
      'google.=google bing.com=bing yahoo.=yahoo duckduckgo.com=duckduckgo baidu.com=baidu yandex.=yandex ecosia.org=ecosia naver.com=naver search.brave.com=brave startpage.com=startpage so.com=360 sogou.com=sogou',
    ),
    ...cat(
      'Social',
      'facebook.com=facebook m.facebook.com=facebook l.facebook.com=facebook instagram.com=instagram t.co=twitter twitter.com=twitter x.com=twitter linkedin.com=linkedin lnkd.in=linkedin reddit.com=reddit pinterest.=pinterest tiktok.com=tiktok weibo.com=weibo snapchat.com=snapchat threads.net=threads quora.com=quora vk.com=vk',
    ),
    ...cat(
      'Video',
      'youtube.com=youtube youtu.be=youtube vimeo.com=vimeo twitch.tv=twitch bilibili.com=bilibili dailymotion.com=dailymotion',
    ),
    ...cat(
      'Shopping',
      'amazon.=amazon ebay.=ebay etsy.com=etsy walmart.com=walmart shopify.com=shopify taobao.com=taobao aliexpress.com=aliexpress mercadolibre.=mercadolibre',
    ),
  ],
  channels: [
    { channel: 'Direct', direct: true },
    {
      channel: 'Paid Shopping',
      campaign: '^(.*(([^a-df-z]|^)shop|shopping).*)$',
      medium: PAID,
    },
    { channel: 'Paid Shopping', category: '^Shopping$', medium: PAID },
    { channel: 'Paid Search', category: '^Search$', medium: PAID },
    { channel: 'Paid Social', category: '^Social$', medium: PAID },
    { channel: 'Paid Video', category: '^Video$', medium: PAID },
    { channel: 'Paid Other', medium: PAID },
    { channel: 'Organic Shopping', category: '^Shopping$' },
    {
      channel: 'Organic Shopping',
      campaign: '^(.*(([^a-df-z]|^)shop|shopping).*)$',
    },
    { channel: 'Organic Social', category: '^Social$' },
    {
      channel: 'Organic Social',
      medium:
        '^(social|social-network|social-media|sm|social network|social media)$',
    },
    { channel: 'Organic Video', category: '^Video$' },
    { channel: 'Organic Video', medium: '^(.*video.*)$' },
    { channel: 'Organic Search', category: '^Search$' },
    { channel: 'Organic Search', medium: '^organic$' },
    { channel: 'Email', source: '^(email|e-mail|e_mail|e mail)$' },
    { channel: 'Email', medium: '^(email|e-mail|e_mail|e mail)$' },
    { channel: 'SMS', source: '^sms$' },
    { channel: 'SMS', medium: '^sms$' },
    { channel: 'Audio', medium: '^audio$' },
    {
      channel: 'Mobile Push Notifications',
      medium: '(mobile|notification|push$)',
    },
    { channel: 'Internal', category: '^Internal$' },
    { channel: 'Referral', medium: '^(referral|app|link)$' },
  ],
};

/** Click ids and the ad platform each belongs to. */
const CLICK_IDS: Record<
  string,
  { platform: string; source: string; category: string }
> = {
  gclid: { platform: 'google_ads', source: 'google', category: 'Search' },
  dclid: { platform: 'google_ads', source: 'google', category: 'Search' },
  wbraid: { platform: 'google_ads', source: 'google', category: 'Search' },
  gbraid: { platform: 'google_ads', source: 'google', category: 'Search' },
  msclkid: { platform: 'microsoft_ads', source: 'bing', category: 'Search' },
  fbclid: { platform: 'meta_ads', source: 'facebook', category: 'Social' },
  ttclid: { platform: 'tiktok_ads', source: 'tiktok', category: 'Social' },
  twclid: { platform: 'twitter_ads', source: 'twitter', category: 'Social' },
  li_fat_id: {
    platform: 'linkedin_ads',
    source: 'linkedin',
    category: 'Social',
  },
  yclid: { platform: 'yandex_ads', source: 'yandex', category: 'Search' },
};

/** What the classifier reads from an event. @public */
export interface TrafficInput {
  /** The SDK's `_traffic_source_*` attributes, without the prefix. */
  sdk: Partial<Record<string, string>>;
  /** The page URL's query parameters. */
  query: URLSearchParams | null;
  /** The host of the page itself, to recognise internal referrers. */
  pageHost: string | null;
  referrer: string | null;
  /** Mobile apps: the store or channel that installed the app. */
  installSource: string | null;
}

/**
 * Classifies traffic sources with a set of rules (defaults, or a project's rules before them).
 * @public
 */
export class TrafficSourceClassifier {
  readonly #categories: SourceCategoryRule[];
  readonly #channels: Array<{
    channel: string;
    direct?: boolean;
    tests: Array<[keyof TrafficSource, RE2JS]>;
  }>;

  constructor(overrides: Partial<TrafficSourceRules> = {}) {
    this.#categories = [
      ...(overrides.categories ?? []),
      ...defaultTrafficSourceRules.categories,
    ];
    this.#channels = [
      ...(overrides.channels ?? []),
      ...defaultTrafficSourceRules.channels,
    ].map(rule => ({
      channel: rule.channel,
      direct: rule.direct,
      tests: (['source', 'medium', 'campaign', 'category'] as const)
        .filter(field => rule[field] !== undefined)
        .map(field => [
          field,
          RE2JS.compile(rule[field]!, RE2JS.CASE_INSENSITIVE),
        ]),
    }));
  }

  classify(input: TrafficInput): TrafficSource {
    const result: TrafficSource = {
      source: null,
      medium: null,
      campaign: null,
      content: null,
      term: null,
      campaignId: null,
      clidPlatform: null,
      clid: null,
      category: null,
      channelGroup: 'Direct',
    };
    const { sdk, query } = input;
    if (sdk.source || sdk.medium || sdk.campaign) {
      result.source = sdk.source ?? null;
      result.medium = sdk.medium ?? null;
      result.campaign = sdk.campaign ?? null;
      result.content = sdk.content ?? null;
      result.term = sdk.term ?? null;
      result.campaignId = sdk.campaign_id ?? null;
      result.clidPlatform = sdk.clid_platform ?? null;
      result.clid = sdk.clid ?? null;
    } else if (query) {
      result.source = query.get('utm_source') || null;
      result.medium = query.get('utm_medium') || null;
      result.campaign = query.get('utm_campaign') || null;
      result.content = query.get('utm_content') || null;
      result.term = query.get('utm_term') || null;
      result.campaignId = query.get('utm_id') || null;
      for (const [param, clid] of Object.entries(CLICK_IDS)) {
        const value = query.get(param);
        if (value) {
          result.clid = value;
          result.clidPlatform = clid.platform;
          result.source ??= clid.source;
          result.medium ??= 'cpc';
          break;
        }
      }
    }
    const referrerHost = hostOf(input.referrer);
    if (!result.source && referrerHost) {
      if (input.pageHost && referrerHost === input.pageHost) {
        result.source = referrerHost;
        result.category = 'Internal';
      } else {
        const known = this.#categoryOf(referrerHost);
        result.source = known?.source ?? referrerHost;
        result.category = known?.category ?? null;
        result.medium = known?.category === 'Search' ? 'organic' : 'referral';
      }
    }
    if (!result.source && input.installSource) {
      result.source = input.installSource;
      result.medium = 'app';
    }
    if (result.source && !result.category) {
      result.category = this.#categoryOf(result.source)?.category ?? null;
    }
    result.channelGroup = this.#channelOf(result);
    return result;
  }

  #categoryOf(hostOrSource: string): SourceCategoryRule | undefined {
    const host = hostOrSource.toLowerCase().replace(/^www\./, '');
    return this.#categories.find(
      rule =>
        host === rule.source ||
        (rule.domain.endsWith('.')
          ? host.startsWith(rule.domain) || host.includes(`.${rule.domain}`)
          : host === rule.domain || host.endsWith(`.${rule.domain}`)),
    );
  }

  #channelOf(source: TrafficSource): string {
    const direct =
      (!source.source || source.source === '(direct)') &&
      (!source.medium || source.medium === '(none)');
    for (const rule of this.#channels) {
      if (rule.direct) {
        if (direct) return rule.channel;
        continue;
      }
      if (direct) continue;
      if (
        rule.tests.every(([field, re]) =>
          re.test((source[field] ?? '').slice(0, MAX_MATCHED_LENGTH)),
        )
      ) {
        return rule.channel;
      }
    }
    return direct ? 'Direct' : 'Unassigned';
  }
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}
