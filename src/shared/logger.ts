import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object: Stitchboard never logs a token,
 * CA data or a credential, even by accident.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'serviceAccountToken',
  '*.serviceAccountToken',
  'caData',
  '*.caData',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["backstage-kubernetes-authorization"]',
  'googleServiceAccountCredentials',
  'password',
  '*.password',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination as never,
  );
}

/** A logger that drops everything, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
