const PLACEHOLDER = /\$?\$\{([^{}]*)\}/g;

export interface Substitution {
  /** The substituted text, or undefined when a variable is unset (the key is then dropped). */
  value: string | undefined;
  /** Names of the variables that were unset. */
  missing: string[];
}

/**
 * Backstage's `${VAR}` substitution: every placeholder is replaced by the trimmed variable; if
 * any variable is unset the whole value is undefined; `$${...}` is the escape for a literal `${...}`.
 */
export function substitute(input: string, env: NodeJS.ProcessEnv): Substitution {
  const missing: string[] = [];
  const value = input.replace(PLACEHOLDER, (match, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    const found = env[name.trim()]?.trim();
    if (found === undefined) missing.push(name.trim());
    return found ?? '';
  });
  return { value: missing.length > 0 ? undefined : value, missing };
}
