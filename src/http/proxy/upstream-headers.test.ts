import { describe, expect, it } from 'vitest';
import {
  downstreamResponseHeaders,
  isWebSocketUpgrade,
  switchingProtocolsHead,
  upstreamRequestHeaders,
} from './upstream-headers.ts';

const caller = {
  host: 'stitchboard.example.com',
  authorization: 'Bearer stitchboard-or-backstage-token',
  cookie: 'backstage-session=abc',
  'backstage-kubernetes-cluster': 'prod',
  'backstage-kubernetes-authorization': 'Bearer k8s',
  'backstage-kubernetes-authorization-oidc-okta': 'okta-token',
  'backstage-anything-else': 'x',
  'impersonate-user': 'admin',
  'impersonate-group': 'system:masters',
  connection: 'keep-alive, x-hop',
  'keep-alive': 'timeout=5',
  'x-hop': 'per-connection',
  'transfer-encoding': 'chunked',
  te: 'trailers',
  'proxy-authorization': 'Basic cHJveHk6cHc=',
  accept: 'application/json',
  'content-type': 'application/merge-patch+json',
  'user-agent': 'backstage-frontend',
};

describe('upstreamRequestHeaders', () => {
  it('keeps what describes the request and drops every credential of the caller and every hop header', () => {
    expect(upstreamRequestHeaders(caller, { authorization: 'Bearer cluster-token', upgrade: false })).toEqual(
      {
        accept: 'application/json',
        'content-type': 'application/merge-patch+json',
        'user-agent': 'backstage-frontend',
        authorization: 'Bearer cluster-token',
      },
    );
  });

  it('sends no Authorization at all without a bearer credential (anonymous, x509)', () => {
    expect(upstreamRequestHeaders(caller, { upgrade: false })).not.toHaveProperty('authorization');
  });

  it('keeps a WebSocket handshake a handshake', () => {
    const handshake = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-version': '13',
      'sec-websocket-protocol': 'channel.k8s.io',
      authorization: 'Bearer caller',
    };
    expect(upstreamRequestHeaders(handshake, { authorization: 'Bearer k', upgrade: true })).toEqual({
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-version': '13',
      'sec-websocket-protocol': 'channel.k8s.io',
      authorization: 'Bearer k',
    });
  });
});

describe('isWebSocketUpgrade', () => {
  it.each([
    [{ connection: 'Upgrade', upgrade: 'websocket' }, true],
    [{ connection: 'keep-alive, Upgrade', upgrade: 'WebSocket' }, true],
    [{ connection: 'keep-alive', upgrade: 'websocket' }, false],
    [{ connection: 'Upgrade', upgrade: 'h2c' }, false],
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(isWebSocketUpgrade(headers)).toBe(expected);
  });
});

describe('downstreamResponseHeaders', () => {
  it('passes the cluster headers on without the hop-by-hop ones', () => {
    expect(
      downstreamResponseHeaders({
        'content-type': 'application/json',
        'audit-id': 'a-1',
        'content-length': '12',
        connection: 'close',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
      }),
    ).toEqual({ 'content-type': 'application/json', 'audit-id': 'a-1', 'content-length': '12' });
  });
});

describe('switchingProtocolsHead', () => {
  it('relays the raw header lines as the cluster sent them', () => {
    expect(
      switchingProtocolsHead([
        'Upgrade',
        'websocket',
        'Sec-WebSocket-Accept',
        's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      ]),
    ).toBe(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n',
    );
  });
});
