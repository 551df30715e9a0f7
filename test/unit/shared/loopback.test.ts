import { isLoopbackUrl, unreachableLinks } from '../../../src/shared/http/loopback';

describe('isLoopbackUrl', () => {
  it.each([
    'http://localhost:3000',
    'http://LOCALHOST.:3000',
    'http://teamlens.localhost',
    'http://127.0.0.1:3000',
    'http://127.1',
    'http://127.255.0.9:8080',
    'http://0x7f000001/',
    'http://[::1]:3000',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0:3000',
    'http://[::]:3000',
  ])('%s: only this machine opens it', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each([
    'https://teamlens.example.org',
    'http://workshop-laptop:3000',
    'http://192.168.1.20:3000',
    'http://10.0.0.1',
    'http://128.0.0.1',
    'http://[2001:db8::1]:3000',
    'http://localhost.example.org',
    'http://mylocalhost',
  ])('%s: others can reach it', (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe('unreachableLinks', () => {
  it('names the address and its port, or the protocol’s default port', () => {
    expect(unreachableLinks('http://localhost:3000')).toEqual({
      origin: 'http://localhost:3000',
      port: '3000',
    });
    expect(unreachableLinks('https://127.0.0.1')).toEqual({
      origin: 'https://127.0.0.1',
      port: '443',
    });
    expect(unreachableLinks('https://teamlens.example.org')).toBeNull();
  });
});
