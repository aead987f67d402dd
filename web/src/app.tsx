import { useEffect, useState, type ComponentType } from 'react';
import { onTokenChange, setUnauthenticatedHandler, tokenStore } from './api.ts';
import { ComponentPage } from './pages/component-page.tsx';
import { ComponentsPage } from './pages/components-page.tsx';
import { CoveragePage } from './pages/coverage-page.tsx';
import { IntegrationsPage } from './pages/integrations-page.tsx';
import { OwnerPage } from './pages/owner-page.tsx';
import { OwnersPage } from './pages/owners-page.tsx';
import { SystemsPage } from './pages/systems-page.tsx';
import { WhoOwnsPage } from './pages/who-owns-page.tsx';
import { match, navigate, useLocation } from './router.ts';
import { Link } from './ui/link.tsx';
import { Empty } from './ui/states.tsx';
import { TokenPrompt } from './ui/token-prompt.tsx';

/** The sections of the app: a link in the navigation each, and the page at that path. */
const NAV: { to: string; label: string; page: ComponentType }[] = [
  { to: '/components', label: 'Components', page: ComponentsPage },
  { to: '/owners', label: 'Owners', page: OwnersPage },
  { to: '/systems', label: 'Systems', page: SystemsPage },
  { to: '/who-owns', label: 'Who owns this?', page: WhoOwnsPage },
  { to: '/coverage', label: 'Coverage', page: CoveragePage },
  { to: '/integrations', label: 'Integrations', page: IntegrationsPage },
];

function Page({ path }: { path: string }) {
  let m: Record<string, string> | undefined;
  if ((m = match('/components/:kind/:namespace/:name', path))) {
    return <ComponentPage kind={m.kind ?? ''} namespace={m.namespace ?? ''} name={m.name ?? ''} />;
  }
  if ((m = match('/owners/:kind/:namespace/:name', path))) {
    return <OwnerPage ownerRef={`${m.kind}:${m.namespace}/${m.name}`} />;
  }
  const exact = path.replace(/\/+$/, '') || '/';
  const section = NAV.find((n) => n.to === exact);
  if (section) return <section.page />;
  return (
    <Empty title="No such page">
      <Link to="/components">Go to the components</Link>
    </Empty>
  );
}

export function App() {
  const { path } = useLocation();
  const [needToken, setNeedToken] = useState(false);
  const [hasToken, setHasToken] = useState(Boolean(tokenStore.get()));

  useEffect(() => {
    if (path === '/') navigate('/components', { replace: true });
  }, [path]);
  useEffect(() => {
    setUnauthenticatedHandler(() => setNeedToken(true));
    return onTokenChange(() => {
      setHasToken(Boolean(tokenStore.get()));
      setNeedToken(false);
    });
  }, []);

  const section = NAV.find((n) => path === n.to || path.startsWith(`${n.to}/`));
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/components" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Stitchboard
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} className={section?.to === n.to ? 'active' : ''}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {hasToken ? (
          <button type="button" className="button subtle signout" onClick={() => tokenStore.set(null)}>
            Forget token
          </button>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {needToken ? <TokenPrompt rejected={hasToken} /> : <Page path={path} />}
      </main>
    </>
  );
}
