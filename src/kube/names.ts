/** Kubernetes object names, checked before they are used to look anything up. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `value` is not a Kubernetes namespace name (a DNS-1123 label), or undefined when it is one. */
export function namespaceProblem(value: string): string | undefined {
  if (value.length > 63 || !DNS_LABEL.test(value)) {
    return 'not a namespace name (lower-case letters, digits and "-", at most 63 characters)';
  }
  return undefined;
}

/** Why `value` is not a Service name (a DNS-1035 label), or undefined when it is one. */
export function serviceNameProblem(value: string): string | undefined {
  if (value.length > 63 || !DNS_1035_LABEL.test(value)) {
    return 'not a Service name (lower-case letters, digits and "-", starting with a letter, at most 63 characters)';
  }
  return undefined;
}

/** Why `value` is not a Secret name (a DNS-1123 subdomain), or undefined when it is one. */
export function secretNameProblem(value: string): string | undefined {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    return 'not a Secret name (lower-case letters, digits, "-" and ".", at most 253 characters)';
  }
  return undefined;
}
