import type { ReactNode } from 'react';

/** One fact of a page head's or a card's `dl.facts`: a term over its value. */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
