import { TrafficInput, TrafficSourceClassifier } from './trafficSource';

const input = (
  over: Partial<TrafficInput> & { url?: string },
): TrafficInput => ({
  sdk: {},
  query: over.url ? new URL(over.url).searchParams : null,
  pageHost: over.url ? new URL(over.url).hostname : 'shop.example',
  referrer: null,
  installSource: null,
  ...over,
});

describe('TrafficSourceClassifier', () => {
  const classifier = new TrafficSourceClassifier();
  it.each([
    ['nothing at all', input({}), 'Direct', null, null],
    [
      'a Google search referrer',
      input({ referrer: 'https://www.google.de/' }),
      'Organic Search',
      'google',
      'organic',
    ],
    [
      'a gclid',
      input({ url: 'https://shop.example/?gclid=abc' }),
      'Paid Search',
      'google',
      'cpc',
    ],
    [
      'UTM cpc on bing',
      input({ url: 'https://shop.example/?utm_source=bing&utm_medium=cpc' }),
      'Paid Search',
      'bing',
      'cpc',
    ],
    [
      'a Facebook referrer',
      input({ referrer: 'https://l.facebook.com/l.php' }),
      'Organic Social',
      'facebook',
      'referral',
    ],
    [
      'paid social',
      input({
        url: 'https://shop.example/?utm_source=facebook&utm_medium=paid_social',
      }),
      'Paid Social',
      'facebook',
      'paid_social',
    ],
    [
      'YouTube',
      input({ referrer: 'https://www.youtube.com/watch?v=1' }),
      'Organic Video',
      'youtube',
      'referral',
    ],
    [
      'Amazon',
      input({ referrer: 'https://www.amazon.co.uk/' }),
      'Organic Shopping',
      'amazon',
      'referral',
    ],
    [
      'a shopping campaign',
      input({
        url: 'https://shop.example/?utm_source=partner&utm_medium=cpc&utm_campaign=shopping_q4',
      }),
      'Paid Shopping',
      'partner',
      'cpc',
    ],
    [
      'email',
      input({
        url: 'https://shop.example/?utm_source=newsletter&utm_medium=email',
      }),
      'Email',
      'newsletter',
      'email',
    ],
    [
      'sms',
      input({ url: 'https://shop.example/?utm_source=sms&utm_medium=text' }),
      'SMS',
      'sms',
      'text',
    ],
    [
      'audio',
      input({
        url: 'https://shop.example/?utm_source=spotify&utm_medium=audio',
      }),
      'Audio',
      'spotify',
      'audio',
    ],
    [
      'push',
      input({ url: 'https://shop.example/?utm_source=app&utm_medium=push' }),
      'Mobile Push Notifications',
      'app',
      'push',
    ],
    [
      'display ads',
      input({ url: 'https://shop.example/?utm_source=dsp&utm_medium=ppc' }),
      'Paid Other',
      'dsp',
      'ppc',
    ],
    [
      'another site',
      input({ referrer: 'https://blog.example.org/post' }),
      'Referral',
      'blog.example.org',
      'referral',
    ],
    [
      'the site itself',
      input({
        url: 'https://shop.example/cart',
        referrer: 'https://shop.example/',
      }),
      'Internal',
      'shop.example',
      null,
    ],
    [
      'an unknown medium',
      input({
        url: 'https://shop.example/?utm_source=x&utm_medium=carrier_pigeon',
      }),
      'Unassigned',
      'x',
      'carrier_pigeon',
    ],
    [
      'the SDK first',
      input({
        sdk: { source: 'google', medium: 'organic' },
        url: 'https://shop.example/?utm_source=x',
      }),
      'Organic Search',
      'google',
      'organic',
    ],
  ])('%s is %s', (_, given, channel, source, medium) => {
    const result = classifier.classify(given);
    expect(result.channelGroup).toBe(channel);
    expect(result.source).toBe(source);
    expect(result.medium).toBe(medium);
  });

  it('matches an owner pattern that would backtrack for hours in linear time', () => {
    // With backtracking, (a+)+$ against 40 a's and a '!' takes about 2^40 steps.
    const custom = new TrafficSourceClassifier({
      channels: [{ channel: 'Evil', source: '^(a+)+$' }],
    });
    const evil = `${'a'.repeat(40)}!`;
    expect(
      custom.classify(
        input({ url: `https://shop.example/?utm_source=${evil}` }),
      ).channelGroup,
    ).toBe('Unassigned');
    expect(
      custom.classify(input({ url: 'https://shop.example/?utm_source=aaaa' }))
        .channelGroup,
    ).toBe('Evil');
  });

  it('tries a project rule before the defaults', () => {
    const custom = new TrafficSourceClassifier({
      categories: [
        { domain: 'partner.example', source: 'partner', category: 'Shopping' },
      ],
      channels: [{ channel: 'Partners', source: '^partner$' }],
    });
    expect(
      custom.classify(input({ referrer: 'https://partner.example/deal' })),
    ).toMatchObject({
      source: 'partner',
      category: 'Shopping',
      channelGroup: 'Partners',
    });
  });
});
