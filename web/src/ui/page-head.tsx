import type { ReactNode } from 'react';

/** A top-level page's title and the one sentence saying what it is for. */
export function PageHead({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="page-head">
      <h1>{title}</h1>
      <p className="muted">{children}</p>
    </div>
  );
}
