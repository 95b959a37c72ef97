import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { KafkaConfig } from 'kafkajs';

/** How long a signed token is good for: what MSK accepts, and what AWS's own signers use. */
const TOKEN_EXPIRY_SECONDS = 900;

/**
 * The token MSK's IAM access control takes as a SASL OAUTHBEARER value: a presigned
 * `kafka-cluster:Connect` request to the regional Kafka endpoint, as a base64url string. The
 * cluster checks the signature and then the caller's `kafka-cluster:*` permissions.
 */
export async function mskIamAuthToken(options: {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** The signing time (tests); default now. */
  signingDate?: Date;
}): Promise<string> {
  const hostname = `kafka.${options.region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'kafka-cluster',
    region: options.region,
    credentials: options.credentials,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: { host: hostname },
      query: { Action: 'kafka-cluster:Connect' },
    },
    {
      expiresIn: TOKEN_EXPIRY_SECONDS,
      signingDate: options.signingDate,
    },
  );
  // The user agent is added after signing: it is not part of the signature.
  const query = { ...signed.query, 'User-Agent': 'clickstream-collector' };
  const search = Object.entries(query)
    .map(([key, value]) => `${encode(key)}=${encode(String(value))}`)
    .join('&');
  return Buffer.from(`https://${hostname}/?${search}`).toString('base64url');
}

function encode(part: string): string {
  return encodeURIComponent(part).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * kafkajs options for an MSK cluster with IAM access control (port 9098): TLS, and SASL
 * OAUTHBEARER with a token signed by the task's own credentials, made again at each
 * (re)authentication so it never outlives the credentials behind it.
 */
export function mskIamKafkaConfig(options: {
  brokers: string[];
  region: string;
  clientId: string;
  credentials?: AwsCredentialIdentityProvider;
}): KafkaConfig {
  const credentials = options.credentials ?? defaultProvider();
  return {
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: true,
    sasl: {
      mechanism: 'oauthbearer',
      oauthBearerProvider: async () => ({
        value: await mskIamAuthToken({ region: options.region, credentials }),
      }),
    },
  };
}

/**
 * The region of MSK brokers from their host names
 * (`b-1.name.abc123.c2.kafka.eu-west-1.amazonaws.com:9098`), for when the environment has none.
 */
export function mskRegionOf(brokers: string[]): string | undefined {
  for (const broker of brokers) {
    const match = /\.kafka(?:-serverless)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(
      broker,
    );
    if (match) return match[1];
  }
  return undefined;
}
