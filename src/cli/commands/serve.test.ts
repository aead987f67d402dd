import { describe, expect, it } from 'vitest';
import { logLevel } from './serve.ts';

describe('serve log level', () => {
  it('is debug with --debug, else LOG_LEVEL, else info', () => {
    expect(logLevel({ LOG_LEVEL: 'warn' }, true)).toBe('debug');
    expect(logLevel({ LOG_LEVEL: 'warn' }, false)).toBe('warn');
    expect(logLevel({}, false)).toBe('info');
  });
});
