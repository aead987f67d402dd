import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../router.ts';

/** An ordinary link (middle-click, copy address, keyboard) that moves within the app without a reload. */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
    window.scrollTo(0, 0);
  };
  return (
    <a href={to} onClick={onClick} className={className}>
      {children}
    </a>
  );
}

/** An email address to write to, or a dash when there is none. */
export function Mailto({ email }: { email: string | undefined }) {
  return email ? <a href={`mailto:${email}`}>{email}</a> : '—';
}

export const componentPath = (ref: string) => {
  const [kind = 'component', rest = ''] = ref.split(':');
  const [namespace = 'default', name = ''] = rest.includes('/') ? rest.split('/') : ['default', rest];
  return `/components/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
};

/** A component's title (or name), in bold, linking to its page: how a list of components names each. */
export function ComponentLink({ component }: { component: { ref: string; name: string; title?: string } }) {
  return (
    <Link to={componentPath(component.ref)} className="strong">
      {component.title ?? component.name}
    </Link>
  );
}

export const ownerPath = (ref: string) => {
  const [kind = 'group', rest = ''] = ref.split(':');
  const [namespace = 'default', name = ''] = rest.includes('/') ? rest.split('/') : ['default', rest];
  return `/owners/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
};
