import type { Report } from '../types.ts';

type Attempt = Report['ownerProblems'][number]['tried'][number];

const WHY: Record<Attempt['reason'], string> = {
  'no-value': 'no value',
  invalid: 'not usable',
  'not-in-catalog': 'not in the catalog',
};

/** The label_map paths tried, in order, and why each did not resolve. */
export function Tried({ tried }: { tried: readonly Attempt[] }) {
  if (tried.length === 0) return <span className="muted">no path tried</span>;
  return (
    <ol className="tried">
      {tried.map((t) => (
        <li key={t.path}>
          <code>{t.path}</code>
          {t.value !== undefined ? (
            <>
              {' '}
              = <code>{t.value}</code>
            </>
          ) : null}
          : {t.reason === 'not-in-catalog' && t.ref ? `${t.ref} is ${WHY[t.reason]}` : WHY[t.reason]}
          {t.message ? ` (${t.message})` : ''}
        </li>
      ))}
    </ol>
  );
}
