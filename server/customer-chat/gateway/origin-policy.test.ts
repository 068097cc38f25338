import { isOriginAllowed } from './origin-policy';

describe('isOriginAllowed', () => {
  const allowed = ['shop.example', '127.0.0.1', '::1'];

  it.each([
    ['http://shop.example', true],
    ['https://shop.example:8443', true],
    ['http://SHOP.example', true],
    ['http://127.0.0.1:3000', true],
    ['http://[::1]:3000', true],
    ['http://127.0.0.1.evil.example', false],
    ['http://shop.example.evil.test', false],
    ['http://evil-shop.example', false],
    ['http://sub.shop.example', false],
    ['ftp://shop.example', false],
    ['null', false],
    ['not a url', false],
  ])('when the origin is %s, then allowed is %s', (origin, expected) => {
    expect(isOriginAllowed(origin, undefined, allowed)).toBe(expected);
  });

  it('when the origin is the server itself, then it is allowed whatever the list', () => {
    expect(isOriginAllowed('http://chat.example:8080', 'chat.example:8080', [])).toBe(true);
    expect(isOriginAllowed('http://chat.example:9090', 'chat.example:8080', [])).toBe(false);
  });

  it('when there is no Origin header (not a browser page), then it is allowed', () => {
    expect(isOriginAllowed(undefined, 'chat.example', [])).toBe(true);
  });
});
