import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { request } from 'node:http';
import { AddressInfo } from 'node:net';
import { IngestRecord } from '../buffer/record';
import { Collector } from '../collector/Collector';
import { createCollectorServer } from '../collector/server';
import { parseRegistryApps, RegistryApp } from './appRegistry';
import { SsmAppRegistry } from './ssmAppRegistry';

const PARAMETER = '/clickstream/shop/apps';
const deployed: RegistryApp[] = [
  { appId: 'web', enabled: true, corsOrigins: [], timezone: 'Asia/Tokyo' },
];

/** An SSM client whose parameter holds `value()` at each read. */
function ssmWith(value: () => unknown) {
  const client = new SSMClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  mock.on(GetParameterCommand, { Name: PARAMETER }).callsFake(() => ({
    Parameter: { Name: PARAMETER, Value: JSON.stringify(value()) },
  }));
  return { client, mock };
}

describe('parseRegistryApps', () => {
  it('reads apps with their defaults, and names the source of bad input', () => {
    expect(
      parseRegistryApps(
        '[{"appId":"web"},{"appId":"ios","enabled":false,"corsOrigins":["https://a.example"],"timezone":"Europe/Paris"}]',
        'CLICKSTREAM_APPS',
      ),
    ).toEqual([
      { appId: 'web', enabled: true, corsOrigins: [], timezone: null },
      {
        appId: 'ios',
        enabled: false,
        corsOrigins: ['https://a.example'],
        timezone: 'Europe/Paris',
      },
    ]);
    expect(() => parseRegistryApps('{', 'P')).toThrow(/^P is not valid JSON/);
    expect(() => parseRegistryApps('{}', 'P')).toThrow(
      'P must be a JSON array of apps',
    );
    expect(() => parseRegistryApps('[{"id":"x"}]', 'P')).toThrow(
      'P: every app needs an appId',
    );
  });
});

describe('SsmAppRegistry', () => {
  it('reads the parameter once per TTL, one read for concurrent callers', async () => {
    let apps = [{ appId: 'web' }];
    const { client, mock } = ssmWith(() => apps);
    const registry = new SsmAppRegistry({
      client,
      parameterName: PARAMETER,
      initial: deployed,
      ttlMs: 60_000,
    });
    const [a, b] = await Promise.all([registry.apps(), registry.apps()]);
    expect(a).toBe(b);
    expect(a.map(app => app.appId)).toEqual(['web']);
    apps = [{ appId: 'web' }, { appId: 'ios' }];
    // Within the TTL: the last read serves.
    expect((await registry.apps()).map(app => app.appId)).toEqual(['web']);
    expect(mock.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it('keeps the last known apps when the parameter cannot be read or is garbage', async () => {
    let value: unknown = [{ appId: 'web' }, { appId: 'ios' }];
    const { client, mock } = ssmWith(() => value);
    const errors: string[] = [];
    const registry = new SsmAppRegistry({
      client,
      parameterName: PARAMETER,
      initial: deployed,
      ttlMs: 0,
      onError: e => errors.push(e.message),
    });
    expect((await registry.apps()).map(a => a.appId)).toEqual(['web', 'ios']);
    value = { not: 'a list' };
    expect((await registry.apps()).map(a => a.appId)).toEqual(['web', 'ios']);
    mock.on(GetParameterCommand).rejects(new Error('ThrottlingException'));
    expect((await registry.apps()).map(a => a.appId)).toEqual(['web', 'ios']);
    expect(errors).toEqual([
      `SSM parameter ${PARAMETER} must be a JSON array of apps`,
      'ThrottlingException',
    ]);
  });

  it('serves the apps of the deployment until the first read answers', async () => {
    const { client, mock } = ssmWith(() => []);
    mock.on(GetParameterCommand).rejects(new Error('AccessDenied'));
    const registry = new SsmAppRegistry({
      client,
      parameterName: PARAMETER,
      initial: deployed,
      onError: () => {},
    });
    expect(registry.find('web')).toEqual(deployed[0]);
    expect(registry.find('ios')).toBeUndefined();
  });
});

describe('the AWS collector with the live app registry', () => {
  it('accepts an app registered after the deployment, and refuses it once disabled, without a redeploy', async () => {
    let registered: unknown[] = deployed;
    const { client } = ssmWith(() => registered);
    const registry = new SsmAppRegistry({
      client,
      parameterName: PARAMETER,
      initial: deployed,
      ttlMs: 0,
    });
    const written: IngestRecord[] = [];
    const server = createCollectorServer({
      collector: new Collector({
        // As bin/collector.ts wires it with CLICKSTREAM_APPS_PARAMETER.
        findApp: appId => registry.find(appId),
        sink: { write: async record => void written.push(record) },
      }),
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const send = (appId: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: `/collect?appId=${appId}&platform=Web`,
            headers: { 'Content-Type': 'application/json' },
          },
          res => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          },
        );
        req.on('error', reject);
        req.end(
          JSON.stringify([
            {
              event_id: `e-${appId}`,
              event_type: '_page_view',
              app_id: appId,
              timestamp: Date.now(),
            },
          ]),
        );
      });
    try {
      expect(await send('ios')).toBe(403);
      registered = [...deployed, { appId: 'ios', timezone: 'Europe/Paris' }];
      // The request path never waits on SSM: the next refresh brings the app.
      await registry.apps();
      expect(await send('ios')).toBe(200);
      expect(written.map(r => r.query.appId)).toEqual(['ios']);
      registered = [...deployed, { appId: 'ios', enabled: false }];
      await registry.apps();
      expect(await send('ios')).toBe(403);
      expect(written).toHaveLength(1);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });
});
