import type { Issue } from '../errors/errors.ts';
import { formatPath, type PathSegment } from './path.ts';

/** Collects what is wrong (errors) and what is merely suspicious (warnings), each with its path. */
export class IssueCollector {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];

  error(path: readonly PathSegment[] | string, message: string): void {
    this.errors.push({ path: typeof path === 'string' ? path : formatPath(path), message });
  }

  warn(path: readonly PathSegment[] | string, message: string): void {
    this.warnings.push({ path: typeof path === 'string' ? path : formatPath(path), message });
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }
}

/** `"value"` for a short, printable, non-secret value; used in "unknown X" messages only. */
export function quote(value: unknown): string {
  const text = String(value);
  return text.length <= 80 && !/[\n\r]/.test(text) ? JSON.stringify(text) : '(a long value)';
}

export function oneOfList(values: readonly string[]): string {
  return `expected one of: ${values.join(', ')}`;
}
