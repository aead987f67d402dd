import { urlProblem } from './schema-helpers.ts';

// The rules for the names and endpoints of `scrapers.backstage`, shared by config validation and
// by the scraper, which applies them again to what a discovered Secret holds. Namespace and Secret
// names are Kubernetes rules: kube/names.ts.

const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._/:-]*$/;

export function instanceNameProblem(value: string): string | undefined {
  if (value.length > 200 || !INSTANCE_NAME.test(value)) {
    return 'an instance name is letters, digits and . _ / : - (starting with a letter or digit), at most 200 characters';
  }
  return undefined;
}

/**
 * Why a Backstage endpoint is unusable, or undefined. The seed's rule: a base URL without a trailing
 * slash. Never echoes the value, which may carry credentials.
 */
export function endpointProblem(value: string): string | undefined {
  const problem = urlProblem(value);
  if (problem) return problem.replace('https://host:6443', 'https://backstage.example.com');
  if (value.endsWith('/')) {
    return 'must not end with "/": give the base URL, e.g. https://backstage.example.com';
  }
  const url = new URL(value);
  if (url.search || url.hash) return 'must not have a query or fragment: give the base URL';
  return undefined;
}
