import { gzipSync } from 'node:zlib';
import { decodeEventPayload } from './payload';

const events = [
  { event_id: 'e1', event_type: '_page_view', app_id: 'shop', timestamp: 1 },
  { event_id: 'e2', event_type: 'add_to_cart', app_id: 'shop', timestamp: 2 },
];

const gzipBase64 = (value: string) =>
  Buffer.from(gzipSync(Buffer.from(value)).toString('base64'));

describe('decodeEventPayload', () => {
  it('decodes the plain JSON array the Web SDK sends', () => {
    expect(decodeEventPayload(Buffer.from(JSON.stringify(events)))).toEqual(
      events,
    );
  });

  it('decodes base64 of gzipped JSON, as Android and Swift send with compression=gzip', () => {
    const body = gzipBase64(JSON.stringify(events));
    expect(decodeEventPayload(body)).toEqual(events);
  });

  it('reads a plain JSON array whatever the compression parameter said', () => {
    expect(
      decodeEventPayload(Buffer.from(` ${JSON.stringify(events)}`)),
    ).toEqual(events);
  });

  it('recognises base64+gzip even when the compression parameter is missing', () => {
    const body = gzipBase64(JSON.stringify(events));
    expect(decodeEventPayload(body)).toEqual(events);
  });

  it.each([
    ['an empty body', '', /empty/],
    ['a JSON object', '{"event_id":"e1"}', /neither a JSON array nor base64/],
    ['truncated JSON', '[{"event_id":', /not valid JSON/],
    [
      'base64 that is not gzip',
      Buffer.from('hello').toString('base64'),
      /not valid gzip/,
    ],
  ])(
    'rejects %s with an InputError that says what is wrong',
    (_, body, message) => {
      expect(() => decodeEventPayload(Buffer.from(body))).toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(message),
        }),
      );
    },
  );

  it('rejects gzip whose JSON is not an array', () => {
    expect(() => decodeEventPayload(gzipBase64('{"a":1}'))).toThrow(
      /must be a JSON array/,
    );
  });

  it('refuses a body that inflates beyond the limit instead of exhausting memory', () => {
    const bomb = gzipBase64(`[${' '.repeat(20 * 1024 * 1024)}]`);
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(() => decodeEventPayload(bomb)).toThrow(/inflates to more than/);
  });
});
