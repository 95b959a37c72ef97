/**
 * Traffic source detection and classification, as the reference solution computes it
 * (`docs/metrics.md`, "Traffic source", walks through it step by step):
 *
 * 1. What the SDK set: `_traffic_source_*`, else the SDK's `_utm_*` and `_gclid`.
 * 2. Else UTM parameters and click ids on the page URL; without a `utm_source` or a click id,
 *    the UTM parameters of the latest referrer, then of the page referrer.
 * 3. The referrer: the latest one unless it is internal (the page's own host), else the page
 *    referrer unless internal; looked up in the referrer table for a source name, a category
 *    and search terms.
 * 4. A medium from the category where none was given, then the channel group by the first
 *    channel rule that matches. Internal traffic is source Direct, medium None, channel
 *    Internal.
 *
 * A project's own rules come before the defaults: its referrer entries replace default ones
 * with the same key, its channel rules are tried first.
 */

import { RE2JS } from 're2js';
import { defaultReferrerTable, SourceCategoryRule } from './referrerTable';
import { parseUrl } from '../values';

/** What a visit's campaign says of it: UTM parameters and a click id. @public */
export interface TrafficCampaign {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
  campaignId: string | null;
  clidPlatform: string | null;
  /** The click id as the reference stores it: `{"type":"gclid","value":"..."}`. */
  clid: string | null;
}

/** A classified visit. @public */
export interface TrafficSource extends TrafficCampaign {
  category: string | null;
  channelGroup: string;
}

export type { SourceCategoryRule } from './referrerTable';

/**
 * A channel group and the conditions that select it: RE2 regular expressions (linear time, no
 * backreferences or lookaround), case-insensitive, found anywhere in the field unless
 * anchored, all of which must match. An unknown field is the empty string. @public
 */
export interface ChannelRule {
  channel: string;
  source?: string;
  /** The medium without parentheses: `(Organic)` is tested as `organic`. */
  medium?: string;
  campaign?: string;
  content?: string;
  term?: string;
  campaignId?: string;
  clidPlatform?: string;
  clid?: string;
  /** Empty when the referrer is not in the table. */
  category?: string;
  /** The referrer the source was taken from, and its host. */
  referrer?: string;
  referrerHost?: string;
  /** `true`: only when none of the traffic fields above is known. */
  direct?: boolean;
}

/** The fields of a visit that a `direct` rule wants empty. */
const VISIT_FIELDS = [
  'source',
  'medium',
  'campaign',
  'content',
  'term',
  'campaignId',
  'clidPlatform',
  'clid',
  'category',
] as const;

const RULE_FIELDS = [...VISIT_FIELDS, 'referrer', 'referrerHost'] as const;

type RuleField = (typeof RULE_FIELDS)[number];

/** Characters of a field that channel rules look at. */
const MAX_MATCHED_LENGTH = 256;

/** @public */
export interface TrafficSourceRules {
  categories: SourceCategoryRule[];
  channels: ChannelRule[];
}

const PAID = '^(.*cp.*|ppc|retargeting|paid.*)$';
const SHOP_CAMPAIGN = '^(.*(([^a-df-z]|^)shop|shopping).*)$';
const KNOWN = '.';
const EMPTY = '^$';

/** A paid channel: the category, with a paid medium or a click id. */
const paid = (channel: string, category: string): ChannelRule[] => [
  { channel, category, medium: PAID },
  { channel, category, clid: KNOWN },
];

/**
 * The default rules: the reference's released referrer table and channel rules (version v1),
 * in their order. Its rules with alternatives are written as one rule per alternative; its
 * Internal rule (a referrer host containing "internal") comes before Referral, which excludes
 * exactly those hosts. @public
 */
export const defaultTrafficSourceRules: TrafficSourceRules = {
  categories: defaultReferrerTable,
  channels: [
    { channel: 'Direct', direct: true },
    ...paid('Paid Search', '^search$'),
    { channel: 'Organic Search', category: '^search$', medium: '^(|organic)$' },
    ...paid('Paid Social', '^social$'),
    { channel: 'Organic Social', category: '^social$' },
    {
      channel: 'Organic Social',
      medium:
        '^(social|social-network|social-media|sm|social network|social media)$',
    },
    ...paid('Paid Video', '^video$'),
    { channel: 'Organic Video', category: '^video$' },
    { channel: 'Organic Video', medium: '^(.*video.*)$' },
    ...paid('Paid Shopping', '^shopping$'),
    {
      channel: 'Paid Shopping',
      category: '^shopping$',
      campaign: SHOP_CAMPAIGN,
    },
    { channel: 'Organic Shopping', category: '^shopping$' },
    { channel: 'Organic Shopping', campaign: SHOP_CAMPAIGN },
    { channel: 'Paid Other', category: EMPTY, medium: PAID },
    { channel: 'Email', source: 'mail' },
    { channel: 'Email', medium: 'mail' },
    { channel: 'Email', referrerHost: '^mail' },
    { channel: 'SMS', source: '^sms$' },
    { channel: 'SMS', medium: '^sms$' },
    { channel: 'Audio', medium: '^audio$' },
    { channel: 'Mobile Push Notifications', medium: 'push$' },
    { channel: 'Mobile Push Notifications', medium: 'mobile' },
    { channel: 'Mobile Push Notifications', medium: 'notification' },
    { channel: 'Internal', referrerHost: 'internal' },
    { channel: 'Referral', referrer: KNOWN, category: EMPTY },
  ],
};

/** What the classifier reads from an event. @public */
export interface TrafficInput {
  /** The SDK's `_traffic_source_*` attributes, without the prefix (`campaign_id`, ...). */
  sdk: Partial<Record<string, string>>;
  /** The SDK's `_utm_*` attributes without the prefix (`source`, `id`, ...), and `gclid`. */
  sdkUtm: Partial<Record<string, string>>;
  pageUrl: string | null;
  pageReferrer: string | null;
  latestReferrer: string | null;
  /** As the SDK sent it; taken from `latestReferrer` when it did not. */
  latestReferrerHost: string | null;
}

const NO_CAMPAIGN: TrafficCampaign = {
  source: null,
  medium: null,
  campaign: null,
  content: null,
  term: null,
  campaignId: null,
  clidPlatform: null,
  clid: null,
};

/** Where a referrer's host drops a two-letter country suffix (`google.co.uk`: `google.co`). */
const COUNTRY_SUFFIX = /^(.*\.[a-z]{2,3})\.[a-z]{2}$/;

/** Categories whose visits are referrals when no medium was given. */
const REFERRAL_CATEGORIES = new Set([
  'Social',
  'Video',
  'Shopping',
  'Referral',
]);

/**
 * Classifies traffic sources with a set of rules (defaults, or a project's rules before them).
 * @public
 */
export class TrafficSourceClassifier {
  readonly #referrers = new Map<string, SourceCategoryRule>();
  /** A source name's category, for sources named by UTM: the last entry of a name wins. */
  readonly #categoryOfSource = new Map<string, string>();
  readonly #channels: Array<{
    channel: string;
    direct?: boolean;
    tests: Array<[RuleField, RE2JS]>;
  }>;

  constructor(overrides: Partial<TrafficSourceRules> = {}) {
    for (const entry of [
      ...defaultTrafficSourceRules.categories,
      ...(overrides.categories ?? []),
    ]) {
      this.#referrers.set(entry.domain.toLowerCase(), entry);
      this.#categoryOfSource.set(entry.source, entry.category);
    }
    this.#channels = [
      ...(overrides.channels ?? []),
      ...defaultTrafficSourceRules.channels,
    ].map(rule => ({
      channel: rule.channel,
      direct: rule.direct,
      tests: RULE_FIELDS.filter(field => rule[field] !== undefined).map(
        field => [field, RE2JS.compile(rule[field]!, RE2JS.CASE_INSENSITIVE)],
      ),
    }));
  }

  classify(input: TrafficInput): TrafficSource {
    const sdk = sdkCampaign(input);
    if (!sdk.source)
      return this.#fromVisit(campaignOfUrl(input.pageUrl), input);
    const category = input.sdk.category ?? null;
    const channelGroup = input.sdk.channel_group ?? null;
    if (category && channelGroup) return { ...sdk, category, channelGroup };
    // The SDK named the source: the visit only adds what the SDK left out.
    const visit = this.#fromVisit(sdk, input);
    return {
      ...sdk,
      category: category ?? visit.category,
      channelGroup: channelGroup ?? visit.channelGroup,
    };
  }

  #fromVisit(fromUrl: TrafficCampaign, input: TrafficInput): TrafficSource {
    let utm = normalized(fromUrl);
    if (!utm.source) utm = normalized(campaignOfUrl(input.latestReferrer));
    if (!utm.source) utm = normalized(campaignOfUrl(input.pageReferrer));

    const pageHost = hostOf(input.pageUrl);
    const internal = (host: string | null) => !!pageHost && host === pageHost;
    const pageReferrerHost = hostOf(input.pageReferrer);
    const latestReferrerHost =
      input.latestReferrerHost?.toLowerCase() || hostOf(input.latestReferrer);
    let referrer: string | null = null;
    let referrerHost: string | null = null;
    if (input.latestReferrer && !internal(latestReferrerHost)) {
      referrer = input.latestReferrer;
      referrerHost = latestReferrerHost;
    } else if (input.pageReferrer && !internal(pageReferrerHost)) {
      referrer = input.pageReferrer;
      referrerHost = pageReferrerHost;
    }

    const known = referrer ? this.#lookUp(referrer) : undefined;
    const result: TrafficSource = {
      ...utm,
      source: utm.source ?? known?.source ?? null,
      term: utm.term ?? known?.terms ?? null,
      category: known?.category ?? null,
      channelGroup: 'Unassigned',
    };
    if (
      result.source &&
      (!result.category || result.category === 'Unassigned')
    ) {
      result.category =
        this.#categoryOfSource.get(result.source) ?? result.category;
    }
    if (!result.medium && result.category) {
      if (result.clid) result.medium = '(CPC)';
      else if (result.category === 'Search') result.medium = '(Organic)';
      else if (REFERRAL_CATEGORIES.has(result.category)) {
        result.medium = '(Referral)';
      }
    }
    result.channelGroup = this.#channelOf(result, referrer, referrerHost);

    if (!result.source) {
      if (referrer) result.source = referrerHost;
      else result.campaign = 'Direct';
    }
    if (result.source && !result.category) result.category = 'Unassigned';
    let fromInternal = false;
    if (input.latestReferrer) fromInternal = internal(latestReferrerHost);
    else if (input.pageReferrer) fromInternal = internal(pageReferrerHost);
    if (!result.source) {
      result.source = 'Direct';
      result.category = 'Direct';
      result.channelGroup = fromInternal ? 'Internal' : 'Direct';
    }
    if (!result.medium) {
      const noReferrer = !input.pageReferrer && !input.latestReferrer;
      result.medium = noReferrer || fromInternal ? 'None' : '(Referral)';
    }
    return result;
  }

  /** The referrer's table entry (by the longest key that matches) and search terms. */
  #lookUp(referrer: string): {
    source: string | null;
    category: string;
    terms: string | null;
  } {
    const url = parseUrl(referrer);
    const host = url?.hostname || null;
    const path = url && url.pathname !== '/' ? url.pathname : '';
    const candidates = new Set<string>();
    const scheme = referrer.indexOf('://');
    candidates.add(scheme >= 0 ? referrer.slice(scheme + 3) : referrer);
    if (host) {
      const bare = host.startsWith('www.') ? host.slice(4) : host;
      for (const h of new Set([host, bare])) {
        candidates.add(h);
        if (path) candidates.add(h + path);
        const country = COUNTRY_SUFFIX.exec(h);
        if (country) candidates.add(country[1]);
      }
    }
    if (referrer.includes('.google.')) candidates.add('google.com');
    const entry = [...candidates]
      .sort((a, b) => b.length - a.length)
      .map(key => this.#referrers.get(key.toLowerCase()))
      .find(found => found !== undefined);
    if (!entry) return { source: host, category: 'Unassigned', terms: null };
    const terms = new Set<string>();
    for (const param of entry.params ?? []) {
      for (const value of url?.searchParams.getAll(param) ?? []) {
        if (value) terms.add(value);
      }
    }
    return {
      source: entry.source,
      category: entry.category,
      terms: terms.size ? [...terms].sort().join(',') : null,
    };
  }

  #channelOf(
    source: TrafficSource,
    referrer: string | null,
    referrerHost: string | null,
  ): string {
    const fields: Record<RuleField, string | null> = {
      ...source,
      medium: source.medium?.replace(/[()]/g, '') ?? null,
      category: source.category === 'Unassigned' ? null : source.category,
      referrer,
      referrerHost,
    };
    const direct = VISIT_FIELDS.every(field => !fields[field]);
    for (const rule of this.#channels) {
      if (rule.direct) {
        if (direct) return rule.channel;
        continue;
      }
      if (
        rule.tests.every(([field, re]) =>
          re.test((fields[field] ?? '').slice(0, MAX_MATCHED_LENGTH)),
        )
      ) {
        return rule.channel;
      }
    }
    return 'Unassigned';
  }
}

/** What the SDK set: `_traffic_source_*`, field by field else its `_utm_*` and `_gclid`. */
function sdkCampaign({ sdk, sdkUtm }: TrafficInput): TrafficCampaign {
  const gclid = sdkUtm.gclid;
  return {
    source: sdk.source ?? sdkUtm.source ?? null,
    medium: sdk.medium ?? sdkUtm.medium ?? null,
    campaign: sdk.campaign ?? sdkUtm.campaign ?? null,
    content: sdk.content ?? sdkUtm.content ?? null,
    term: sdk.term ?? sdkUtm.term ?? null,
    campaignId: sdk.campaign_id ?? sdkUtm.id ?? null,
    clidPlatform: sdk.clid_platform ?? sdkUtm.source_platform ?? null,
    clid:
      sdk.clid ??
      (gclid ? JSON.stringify({ type: 'gclid', value: gclid }) : null),
  };
}

/** Characters no URI may hold: a URL with any of them is read as the reference re-encodes it. */
const NOT_IN_URI = /[\s{}|\\^`<>]/;

/** UTM parameters and the click id of a URL (a page's, or a referrer's). */
function campaignOfUrl(url: string | null): TrafficCampaign {
  // Such a URL's query keeps "#" and "+" as they are (a "#" there starts no fragment).
  const query = parseUrl(
    url && NOT_IN_URI.test(url)
      ? inQuery(url, q => q.replace(/#/g, '%23').replace(/\+/g, '%2B'))
      : url,
  )?.searchParams;
  if (!query) return NO_CAMPAIGN;
  const get = (name: string) => query.get(name) || null;
  const campaign: TrafficCampaign = {
    source: get('utm_source'),
    medium: get('utm_medium'),
    campaign: get('utm_campaign'),
    content: get('utm_content'),
    term: get('utm_term'),
    campaignId: get('utm_id'),
    clidPlatform: get('utm_source_platform'),
    clid: null,
  };
  // gclid first, else the first parameter named like a click id (fbclid, ttclid, ...).
  const clidType = get('gclid')
    ? 'gclid'
    : [...query.keys()].find(key => key.endsWith('clid') && get(key));
  if (clidType) {
    campaign.clid = JSON.stringify({ type: clidType, value: get(clidType) });
    if (!campaign.source) {
      campaign.source = clidType === 'gclid' ? 'Google' : clidType;
      campaign.medium ??= '(CPC)';
    }
  }
  return campaign;
}

/** "direct" or nothing is no source, medium or campaign; `{}` is no click id. */
function normalized(campaign: TrafficCampaign): TrafficCampaign {
  const value = (v: string | null) =>
    v && v.toLowerCase() !== 'direct' ? v : null;
  return {
    ...campaign,
    source: value(campaign.source),
    medium: value(campaign.medium),
    campaign: value(campaign.campaign),
    clid: campaign.clid && campaign.clid !== '{}' ? campaign.clid : null,
  };
}

function hostOf(url: string | null): string | null {
  return parseUrl(url)?.hostname || null;
}

/** The URL with its query (from the first "?") rewritten. */
function inQuery(url: string, rewrite: (query: string) => string): string {
  const start = url.indexOf('?');
  return start < 0 ? url : url.slice(0, start) + rewrite(url.slice(start));
}
