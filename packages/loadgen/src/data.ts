/**
 * Fixed tables the simulation draws from: places, devices, products, traffic sources.
 * Changing an entry changes every run's output, so treat them as part of the format.
 */

/** A place users live in, with the client addresses the collector will see for them. */
export interface Geo {
  country: string;
  /** What Android's `Locale.getDisplayCountry()` gives (its `country` event field). */
  countryName: string;
  region: string;
  city: string;
  /** UTC offset in minutes (standard time; the simulation ignores daylight saving). */
  utcOffsetMinutes: number;
  locales: string[];
  currency: string;
  carriers: string[];
  /**
   * EXAMPLE public IPv4 addresses for geolocation tests, NOT targets: they are only written
   * into the `X-Forwarded-For` header value of a request record and are never contacted.
   * Entries marked "MaxMind test DB" are addresses that MaxMind's published test database
   * (GeoIP2-City-Test.mmdb) maps to exactly this city, so offline tests can rely on them; the
   * other addresses belong to large consumer ISPs of that country and region, but what a real
   * GeoLite2/GeoIP2 database says about them depends on its release: derive city-level
   * expectations from the database in use, not from this table.
   */
  ips: string[];
  weight: number;
}

export const GEOS: readonly Geo[] = [
  {
    country: 'US',
    countryName: 'United States',
    region: 'New York',
    city: 'New York',
    utcOffsetMinutes: -300,
    locales: ['en-US'],
    currency: 'USD',
    carriers: ['T-Mobile', 'Verizon', 'AT&T'],
    ips: ['72.229.28.185', '68.173.11.42', '108.41.54.10'],
    weight: 14,
  },
  {
    country: 'US',
    countryName: 'United States',
    region: 'California',
    city: 'Los Angeles',
    utcOffsetMinutes: -480,
    locales: ['en-US', 'es-US'],
    currency: 'USD',
    carriers: ['T-Mobile', 'Verizon', 'AT&T'],
    ips: ['76.91.14.5', '104.32.16.20', '47.144.10.3'],
    weight: 12,
  },
  {
    country: 'US',
    countryName: 'United States',
    region: 'Washington',
    city: 'Milton',
    utcOffsetMinutes: -480,
    locales: ['en-US'],
    currency: 'USD',
    carriers: ['T-Mobile', 'Verizon'],
    ips: ['216.160.83.56'], // MaxMind test DB
    weight: 3,
  },
  {
    country: 'GB',
    countryName: 'United Kingdom',
    region: 'England',
    city: 'London',
    utcOffsetMinutes: 0,
    locales: ['en-GB'],
    currency: 'GBP',
    carriers: ['EE', 'Vodafone UK', 'O2 - UK'],
    ips: ['81.2.69.142', '81.2.69.160'], // MaxMind test DB
    weight: 9,
  },
  {
    country: 'GB',
    countryName: 'United Kingdom',
    region: 'England',
    city: 'Boxford',
    utcOffsetMinutes: 0,
    locales: ['en-GB'],
    currency: 'GBP',
    carriers: ['EE', 'Three'],
    ips: ['2.125.160.216'], // MaxMind test DB
    weight: 2,
  },
  {
    country: 'DE',
    countryName: 'Germany',
    region: 'Berlin',
    city: 'Berlin',
    utcOffsetMinutes: 60,
    locales: ['de-DE'],
    currency: 'EUR',
    carriers: ['Telekom.de', 'Vodafone.de', 'o2 - de'],
    ips: ['91.64.10.20', '95.90.200.10', '87.123.0.5'],
    weight: 8,
  },
  {
    country: 'FR',
    countryName: 'France',
    region: 'Île-de-France',
    city: 'Paris',
    utcOffsetMinutes: 60,
    locales: ['fr-FR'],
    currency: 'EUR',
    carriers: ['Orange F', 'SFR', 'Free'],
    ips: ['90.84.10.5', '82.64.10.20', '88.160.0.5'],
    weight: 6,
  },
  {
    country: 'SE',
    countryName: 'Sweden',
    region: 'Östergötland County',
    city: 'Linköping',
    utcOffsetMinutes: 60,
    locales: ['sv-SE'],
    currency: 'SEK',
    carriers: ['Telia', 'Tele2'],
    ips: ['89.160.20.112', '89.160.20.128'], // MaxMind test DB
    weight: 3,
  },
  {
    country: 'JP',
    countryName: 'Japan',
    region: 'Tokyo',
    city: 'Tokyo',
    utcOffsetMinutes: 540,
    locales: ['ja-JP'],
    currency: 'JPY',
    carriers: ['NTT DOCOMO', 'au', 'SoftBank'],
    ips: ['126.0.10.5', '153.240.10.20', '60.64.0.10'],
    weight: 7,
  },
  {
    country: 'CN',
    countryName: 'China',
    region: 'Jilin Sheng',
    city: 'Changchun',
    utcOffsetMinutes: 480,
    locales: ['zh-CN'],
    currency: 'CNY',
    carriers: ['China Mobile', 'China Unicom'],
    ips: ['175.16.199.10', '175.16.199.77'], // MaxMind test DB (175.16.199.0/24)
    weight: 3,
  },
  {
    country: 'IN',
    countryName: 'India',
    region: 'Maharashtra',
    city: 'Mumbai',
    utcOffsetMinutes: 330,
    locales: ['en-IN', 'hi-IN'],
    currency: 'INR',
    carriers: ['Jio', 'Airtel', 'Vi India'],
    ips: ['49.36.10.5', '106.193.0.5', '157.32.10.20'],
    weight: 8,
  },
  {
    country: 'BR',
    countryName: 'Brazil',
    region: 'São Paulo',
    city: 'São Paulo',
    utcOffsetMinutes: -180,
    locales: ['pt-BR'],
    currency: 'BRL',
    carriers: ['VIVO', 'Claro BR', 'TIM'],
    ips: ['177.69.0.10', '189.100.0.5', '200.158.0.10'],
    weight: 6,
  },
  {
    country: 'AU',
    countryName: 'Australia',
    region: 'New South Wales',
    city: 'Sydney',
    utcOffsetMinutes: 600,
    locales: ['en-AU'],
    currency: 'AUD',
    carriers: ['Telstra', 'Optus'],
    ips: ['1.128.10.5', '101.160.0.10', '120.152.0.5'],
    weight: 4,
  },
  {
    country: 'CA',
    countryName: 'Canada',
    region: 'Ontario',
    city: 'Toronto',
    utcOffsetMinutes: -300,
    locales: ['en-CA', 'fr-CA'],
    currency: 'CAD',
    carriers: ['Rogers', 'Bell', 'TELUS'],
    ips: ['174.112.10.5', '99.224.0.10', '24.114.0.10'],
    weight: 4,
  },
];

/** Units of a currency per US dollar (fixed: prices must not drift between runs). */
export const PER_USD: Record<string, number> = {
  USD: 1,
  GBP: 0.79,
  EUR: 0.92,
  SEK: 10.5,
  JPY: 150,
  CNY: 7.2,
  INR: 83,
  BRL: 5,
  AUD: 1.5,
  CAD: 1.35,
};

/** Currencies without minor units (prices are whole numbers). */
export const ZERO_DECIMAL = new Set(['JPY']);

export interface Browser {
  name: string;
  userAgent: string;
  /** [width, height] of `screen`; the viewport is smaller by the browser's chrome. */
  screens: Array<[number, number]>;
  chromeHeight: number;
  weight: number;
}

export const BROWSERS: readonly Browser[] = [
  {
    name: 'Chrome on Windows',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    screens: [
      [1920, 1080],
      [1536, 864],
      [1366, 768],
    ],
    chromeHeight: 133,
    weight: 30,
  },
  {
    name: 'Edge on Windows',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    screens: [
      [1920, 1080],
      [1280, 720],
    ],
    chromeHeight: 129,
    weight: 8,
  },
  {
    name: 'Firefox on Windows',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    screens: [
      [1920, 1080],
      [2560, 1440],
    ],
    chromeHeight: 121,
    weight: 5,
  },
  {
    name: 'Chrome on macOS',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    screens: [
      [1440, 900],
      [1728, 1117],
    ],
    chromeHeight: 111,
    weight: 10,
  },
  {
    name: 'Safari on macOS',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    screens: [
      [1440, 900],
      [1512, 982],
    ],
    chromeHeight: 87,
    weight: 7,
  },
  {
    name: 'Firefox on Linux',
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    screens: [[1920, 1080]],
    chromeHeight: 121,
    weight: 2,
  },
  {
    name: 'Safari on iPhone',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    screens: [
      [390, 844],
      [393, 852],
      [430, 932],
    ],
    chromeHeight: 180,
    weight: 20,
  },
  {
    name: 'Chrome on Android',
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    screens: [
      [412, 915],
      [360, 800],
      [384, 854],
    ],
    chromeHeight: 140,
    weight: 18,
  },
];

/** Crawlers that execute JavaScript (and so the SDK), from their published addresses. */
export interface Crawler {
  name: string;
  userAgent: string;
  /** Example addresses from the crawler's published ranges (never contacted). */
  ips: string[];
  screen: [number, number];
}

export const CRAWLERS: readonly Crawler[] = [
  {
    name: 'Googlebot Smartphone',
    userAgent:
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    ips: ['66.249.66.1', '66.249.66.87', '66.249.79.34'],
    screen: [412, 732],
  },
  {
    name: 'Bingbot',
    userAgent:
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/131.0.0.0 Safari/537.36',
    ips: ['157.55.39.1', '40.77.167.12'],
    screen: [1366, 768],
  },
];

export interface MobileDevice {
  /** Build.MANUFACTURER on Android; "apple" on iOS. */
  make: string;
  brand: string;
  model: string;
  osVersion: string;
  /** Android build id, for the system user agent. */
  build?: string;
  /** Physical pixels. */
  screen: [number, number];
  weight: number;
}

export const ANDROID_DEVICES: readonly MobileDevice[] = [
  {
    make: 'samsung',
    brand: 'samsung',
    model: 'SM-S921B',
    osVersion: '14',
    build: 'UP1A.231005.007',
    screen: [1080, 2340],
    weight: 10,
  },
  {
    make: 'samsung',
    brand: 'samsung',
    model: 'SM-A546B',
    osVersion: '14',
    build: 'UP1A.231005.007',
    screen: [1080, 2340],
    weight: 8,
  },
  {
    make: 'Google',
    brand: 'google',
    model: 'Pixel 8',
    osVersion: '15',
    build: 'AP3A.241105.007',
    screen: [1080, 2400],
    weight: 6,
  },
  {
    make: 'Xiaomi',
    brand: 'Redmi',
    model: '23129RAA4G',
    osVersion: '14',
    build: 'UKQ1.231003.002',
    screen: [1080, 2400],
    weight: 6,
  },
  {
    make: 'OnePlus',
    brand: 'OnePlus',
    model: 'CPH2581',
    osVersion: '14',
    build: 'UKQ1.230924.001',
    screen: [1440, 3168],
    weight: 3,
  },
  {
    make: 'motorola',
    brand: 'motorola',
    model: 'moto g54 5G',
    osVersion: '13',
    build: 'T1TD33.43-41',
    screen: [1080, 2400],
    weight: 3,
  },
];

export const IOS_DEVICES: readonly MobileDevice[] = [
  {
    make: 'apple',
    brand: 'apple',
    model: 'iPhone16,1',
    osVersion: '18.1',
    screen: [1179, 2556],
    weight: 8,
  },
  {
    make: 'apple',
    brand: 'apple',
    model: 'iPhone15,2',
    osVersion: '17.6.1',
    screen: [1179, 2556],
    weight: 7,
  },
  {
    make: 'apple',
    brand: 'apple',
    model: 'iPhone14,5',
    osVersion: '17.5.1',
    screen: [1170, 2532],
    weight: 6,
  },
  {
    make: 'apple',
    brand: 'apple',
    model: 'iPhone17,2',
    osVersion: '18.1.1',
    screen: [1320, 2868],
    weight: 4,
  },
];

export interface Product {
  id: string;
  name: string;
  category: string;
  brand: string;
  priceUsd: number;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'sku-1001',
    name: 'Trail Running Shoes',
    category: 'shoes',
    brand: 'Northpeak',
    priceUsd: 89.99,
  },
  {
    id: 'sku-1002',
    name: 'Everyday Sneakers',
    category: 'shoes',
    brand: 'Urbanstep',
    priceUsd: 59.5,
  },
  {
    id: 'sku-1003',
    name: 'Hiking Boots',
    category: 'shoes',
    brand: 'Northpeak',
    priceUsd: 129,
  },
  {
    id: 'sku-2001',
    name: 'Merino T-Shirt',
    category: 'apparel',
    brand: 'Woolly',
    priceUsd: 39.95,
  },
  {
    id: 'sku-2002',
    name: 'Rain Jacket',
    category: 'apparel',
    brand: 'Northpeak',
    priceUsd: 149.99,
  },
  {
    id: 'sku-2003',
    name: 'Running Shorts',
    category: 'apparel',
    brand: 'Urbanstep',
    priceUsd: 24.99,
  },
  {
    id: 'sku-3001',
    name: 'Water Bottle 750 ml',
    category: 'accessories',
    brand: 'Hydra',
    priceUsd: 14.99,
  },
  {
    id: 'sku-3002',
    name: 'Daypack 20 L',
    category: 'accessories',
    brand: 'Northpeak',
    priceUsd: 64,
  },
  {
    id: 'sku-3003',
    name: 'Wool Socks (3 pairs)',
    category: 'accessories',
    brand: 'Woolly',
    priceUsd: 19.99,
  },
  {
    id: 'sku-4001',
    name: 'GPS Sports Watch',
    category: 'electronics',
    brand: 'Pulse',
    priceUsd: 249,
  },
  {
    id: 'sku-4002',
    name: 'Wireless Earbuds',
    category: 'electronics',
    brand: 'Pulse',
    priceUsd: 79.99,
  },
  {
    id: 'sku-4003',
    name: 'Headlamp',
    category: 'electronics',
    brand: 'Hydra',
    priceUsd: 29.95,
  },
];

export const CATEGORIES = ['shoes', 'apparel', 'accessories', 'electronics'];

export const SEARCH_TERMS = [
  'running shoes',
  'rain jacket',
  'gps watch',
  'socks',
  'backpack',
  'earbuds',
  'boots',
  'water bottle',
];

/** How a web session arrived: what the landing URL carries and what document.referrer was. */
export interface TrafficSource {
  key: string;
  referrer: string;
  utm?: { source: string; medium: string; campaigns: string[] };
  /** Paid Google traffic also carries a gclid. */
  gclid?: boolean;
  /** Landing page kinds. */
  landing: Array<'home' | 'product' | 'category'>;
  weight: number;
}

export const TRAFFIC_SOURCES: readonly TrafficSource[] = [
  { key: 'direct', referrer: '', landing: ['home'], weight: 33 },
  {
    key: 'google-organic',
    referrer: 'https://www.google.com/',
    landing: ['home', 'product', 'category'],
    weight: 25,
  },
  {
    key: 'google-cpc',
    referrer: 'https://www.google.com/',
    utm: {
      source: 'google',
      medium: 'cpc',
      campaigns: ['winter_sale', 'brand_search'],
    },
    gclid: true,
    landing: ['product', 'category'],
    weight: 15,
  },
  {
    key: 'facebook-social',
    referrer: 'https://l.facebook.com/',
    utm: {
      source: 'facebook',
      medium: 'social',
      campaigns: ['new_arrivals', 'ugc_running'],
    },
    landing: ['product', 'home'],
    weight: 12,
  },
  {
    key: 'newsletter-email',
    referrer: '',
    utm: {
      source: 'newsletter',
      medium: 'email',
      campaigns: ['weekly_digest', 'back_in_stock'],
    },
    landing: ['category', 'product'],
    weight: 15,
  },
];

export const FIRST_NAMES = [
  'alex',
  'sam',
  'kim',
  'noa',
  'li',
  'maria',
  'ravi',
  'yuki',
  'lena',
  'omar',
  'ana',
  'tom',
];
