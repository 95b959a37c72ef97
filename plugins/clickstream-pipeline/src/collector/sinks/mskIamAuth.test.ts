import { createHash, createHmac } from 'node:crypto';
import { mskIamAuthToken, mskIamKafkaConfig, mskRegionOf } from './mskIamAuth';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+with=odd chars',
};
const signingDate = new Date('2026-12-07T10:20:30Z');

function decode(token: string): URL {
  expect(token).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(token, 'base64url').toString('utf8'));
}

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();

/** SigV4 for a presigned GET, written out from AWS's documentation, independent of the SDK. */
function expectedSignature(url: URL): string {
  const params = [...url.searchParams.entries()].filter(
    ([key]) => key !== 'X-Amz-Signature' && key !== 'User-Agent',
  );
  const canonicalQuery = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    // By code point, as SigV4 sorts (keys are unique here).
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.hostname}\n`,
    'host',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const date = url.searchParams.get('X-Amz-Date')!;
  const scope = `${date.slice(0, 8)}/eu-west-1/kafka-cluster/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date.slice(0, 8));
  for (const part of ['eu-west-1', 'kafka-cluster', 'aws4_request']) {
    key = hmac(key, part);
  }
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('MSK IAM authentication', () => {
  it('signs a kafka-cluster:Connect request to the regional endpoint, valid for 15 minutes', async () => {
    const token = await mskIamAuthToken({
      region: 'eu-west-1',
      credentials: async () => credentials,
      signingDate,
    });
    const url = decode(token);
    expect(url.origin).toBe('https://kafka.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const query = Object.fromEntries(url.searchParams);
    expect(query).toMatchObject({
      Action: 'kafka-cluster:Connect',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential':
        'AKIDEXAMPLE/20261207/eu-west-1/kafka-cluster/aws4_request',
      'X-Amz-Date': '20261207T102030Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Security-Token': credentials.sessionToken,
      'User-Agent': 'clickstream-collector',
    });
    expect(query['X-Amz-Signature']).toBe(expectedSignature(url));
  });

  it('gives kafkajs TLS and an OAUTHBEARER provider that signs a fresh token each time', async () => {
    let calls = 0;
    const config = mskIamKafkaConfig({
      brokers: ['b-1.shop.abc123.c2.kafka.eu-west-1.amazonaws.com:9098'],
      region: 'eu-west-1',
      clientId: 'clickstream-collector',
      credentials: async () => {
        calls += 1;
        return credentials;
      },
    });
    expect(config.ssl).toBe(true);
    const sasl = config.sasl as {
      mechanism: string;
      oauthBearerProvider: () => Promise<{ value: string }>;
    };
    expect(sasl.mechanism).toBe('oauthbearer');
    const { value } = await sasl.oauthBearerProvider();
    await sasl.oauthBearerProvider();
    expect(calls).toBe(2);
    const url = decode(value);
    expect(url.searchParams.get('X-Amz-Signature')).toBe(
      expectedSignature(url),
    );
  });

  it('reads the region from broker host names', () => {
    expect(
      mskRegionOf([
        'b-2.shop.abc123.c2.kafka.ap-southeast-1.amazonaws.com:9098',
      ]),
    ).toBe('ap-southeast-1');
    expect(
      mskRegionOf([
        'boot-abc.c1.kafka-serverless.us-east-2.amazonaws.com:9098',
      ]),
    ).toBe('us-east-2');
    expect(mskRegionOf(['localhost:9092'])).toBeUndefined();
  });
});
