import { describe, expect, it } from 'vitest';
import { parseCallbacks } from './callbackConfig.ts';

const secret = 'whsec_' + Buffer.from('a-callback-secret-of-32-bytes-ok').toString('base64');

describe('parseCallbacks', () => {
  it('reads CALLBACK_URL_* with CALLBACK_SECRET_* per source, and the file section, the environment winning', () => {
    expect(parseCallbacks({}, undefined)).toEqual({});
    expect(parseCallbacks({ CALLBACK_URL_HOTLINE: 'https://12345.example/cb', CALLBACK_SECRET_HOTLINE: secret }, {
      hotline: { url: 'https://old.example/cb', secret }, media: { url: 'http://news.example/cb', secret },
    })).toEqual({ hotline: { url: 'https://12345.example/cb', secret }, media: { url: 'http://news.example/cb', secret } });
  });

  it('refuses a URL without its secret, a secret that is not whsec_, and a URL that is not http(s), naming the variable', () => {
    expect(() => parseCallbacks({ CALLBACK_URL_MEDIA: 'https://x.example/' }, undefined)).toThrow(/CALLBACK_URL_MEDIA 与 CALLBACK_SECRET_MEDIA 须同时设置/);
    expect(() => parseCallbacks({ CALLBACK_URL_MEDIA: 'https://x.example/', CALLBACK_SECRET_MEDIA: 'plain' }, undefined)).toThrow(/CALLBACK_SECRET_MEDIA/);
    expect(() => parseCallbacks({ CALLBACK_URL_SUPERVISOR: 'ftp://x.example/', CALLBACK_SECRET_SUPERVISOR: secret }, undefined)).toThrow(/CALLBACK_URL_SUPERVISOR/);
    expect(() => parseCallbacks({}, { hotline: { url: 'https://x.example/' } })).toThrow(/callbacks/);
    expect(() => parseCallbacks({}, { bureau: { url: 'https://x.example/', secret } })).toThrow(/callbacks/);
  });
});
