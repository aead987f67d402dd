import { describe, expect, it } from 'vitest';
import { checkClusterUrl, hostAllowed, isPublicUnicast } from './url-guard.ts';

describe('isPublicUnicast', () => {
  it.each([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['2606:4700:4700::1111', true],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['127.0.0.1', false],
    ['0.0.0.0', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['198.18.0.1', false],
    ['203.0.113.9', false],
    ['::1', false],
    ['::', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', false],
    ['64:ff9b::a00:1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['2002:a00:1::1', false],
    ['not-an-ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicUnicast(address)).toBe(expected);
  });
});

describe('hostAllowed', () => {
  it.each([
    ['127.0.0.1', ['127.0.0.1'], true],
    ['kube.internal', ['KUBE.internal'], true],
    ['a.corp.example', ['*.corp.example'], true],
    ['a.b.corp.example', ['*.corp.example'], true],
    ['corp.example', ['*.corp.example'], true],
    ['evilcorp.example', ['*.corp.example'], false],
    ['corp.example.evil', ['*.corp.example'], false],
    ['::1', ['[::1]'], true],
    ['::1', ['::1'], true],
    ['10.0.0.1', [], false],
  ])('%s against %j → %s', (host, patterns, expected) => {
    expect(hostAllowed(host, patterns)).toBe(expected);
  });
});

const publicResolver = async () => ['93.184.216.34'];

describe('checkClusterUrl', () => {
  it.each<[string, string[]]>([
    ['https://93.184.216.34:6443', []],
    ['https://[2606:4700:4700::1111]:443/sub/path', []],
    ['https://kube.example.com', []],
    ['http://127.0.0.1:8080', ['127.0.0.1']],
    ['https://10.0.0.1', ['*.internal', '10.0.0.1']],
    ['http://kube.corp.internal', ['*.corp.internal']],
  ])('accepts %s (allowed: %j)', async (url, allowedHosts) => {
    const verdict = await checkClusterUrl(url, { allowedHosts, resolve: publicResolver });
    expect(verdict.ok).toBe(true);
  });

  it.each([
    ['not a url', [], 'is not a valid URL'],
    ['kube:6443', [], 'must use https, not kube'],
    ['ftp://kube.example.com', [], 'must use https, not ftp'],
    ['https://admin:hunter2@kube.example.com', [], 'must not carry a user name or password'],
    ['https://admin:hunter2@127.0.0.1', ['127.0.0.1'], 'must not carry a user name or password'],
    ['http://kube.example.com', [], 'must use https'],
    ['http://127.0.0.1:6443', [], 'must use https'],
    ['https://127.0.0.1:6443', [], 'non-public address 127.0.0.1'],
    ['https://10.20.30.40', ['10.20.30.41'], 'non-public address 10.20.30.40'],
    ['https://169.254.169.254/latest', [], 'non-public address 169.254.169.254'],
    ['https://[::1]:6443', [], 'non-public address ::1'],
    ['https://[::ffff:7f00:1]', [], 'non-public address ::ffff:7f00:1'],
    ['https://0x7f.1', [], 'non-public address 127.0.0.1'],
  ])('refuses %s (allowed: %j): %s', async (url, allowedHosts, reason) => {
    const verdict = await checkClusterUrl(url, { allowedHosts, resolve: publicResolver });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.reason).toContain(reason);
      expect(verdict.reason).not.toContain('hunter2');
    }
  });

  it('refuses a name that resolves to any non-public address', async () => {
    const verdict = await checkClusterUrl('https://kube.example.com', {
      allowedHosts: [],
      resolve: async () => ['93.184.216.34', '10.0.0.7'],
    });
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining('host kube.example.com resolves to the non-public address 10.0.0.7'),
    });
  });

  it('resolves with the system resolver by default: localhost is loopback', async () => {
    const verdict = await checkClusterUrl('https://localhost:6443', { allowedHosts: [] });
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringMatching(/^host localhost resolves to the non-public address (127\.0\.0\.1|::1)/),
    });
  });

  it('refuses a name that does not resolve, saying why', async () => {
    const verdict = await checkClusterUrl('https://no-such-host.invalid', { allowedHosts: [] });
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringMatching(/^host no-such-host\.invalid does not resolve \(E[A-Z_]+\)/),
    });
  });

  it('asks the resolver on every call', async () => {
    let answer = ['93.184.216.34'];
    const options = { allowedHosts: [], resolve: async () => answer };
    expect((await checkClusterUrl('https://kube.example.com', options)).ok).toBe(true);
    answer = ['192.168.0.10'];
    expect((await checkClusterUrl('https://kube.example.com', options)).ok).toBe(false);
  });
});
