const PEM_CERT = '-----BEGIN CERTIFICATE-----';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Why a `caData` value is not base64-encoded PEM, or undefined when it is. The value is a secret
 * in Backstage's schema, so no message quotes any part of it.
 */
export function caDataProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    return 'holds raw PEM; caData must be base64-encoded PEM (or point caFile at the PEM file)';
  }
  const compact = trimmed.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    return 'is not base64 (caData must be a base64-encoded PEM certificate bundle)';
  }
  if (!Buffer.from(compact, 'base64').toString('utf8').includes(PEM_CERT)) {
    return `is base64 but does not decode to a PEM certificate (no "${PEM_CERT}" line)`;
  }
  return undefined;
}

/** Why the text of a CA file is not a PEM certificate bundle, or undefined when it is. */
export function pemProblem(text: string): string | undefined {
  return text.includes(PEM_CERT) ? undefined : `holds no PEM certificate (no "${PEM_CERT}" line)`;
}
