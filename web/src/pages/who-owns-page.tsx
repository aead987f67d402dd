import { useEffect, useState, type FormEvent } from 'react';
import { url } from '../api.ts';
import { useQueryParam } from '../router.ts';
import type { WhoOwns } from '../types.ts';
import { useResource } from '../use-resource.ts';
import { Fact } from '../ui/facts.tsx';
import { Link, Mailto, componentPath, ownerPath } from '../ui/link.tsx';
import { describeFetchError } from '../ui/object-drawer.tsx';
import { PageHead } from '../ui/page-head.tsx';
import { Empty, ResourceStates } from '../ui/states.tsx';
import { Tried } from '../ui/tried.tsx';

type Answer = WhoOwns['answers'][number];

function Chain({ chain }: { chain: Answer['chain'] }) {
  return (
    <ol className="chain">
      {chain.map((step, i) => (
        <li key={i}>
          <span className="kind">{step.kind}</span>{' '}
          {step.kind === 'Component' ? (
            <Link to={componentPath(step.name)}>{step.name}</Link>
          ) : step.kind === 'Owner' ? (
            <Link to={ownerPath(step.name)}>{step.name}</Link>
          ) : (
            <span className="strong">{step.name}</span>
          )}
          {step.cluster ? (
            <span className="muted small">
              {' '}
              {step.cluster}/{step.namespace}
            </span>
          ) : null}
          <div className="muted small">{step.via}</div>
        </li>
      ))}
    </ol>
  );
}

function AnswerCard({ a }: { a: Answer }) {
  const service = `${a.service.cluster}/${a.service.namespace}/${a.service.name}`;
  if (a.stitched.length === 0) {
    return (
      <article className="answer answer-none">
        <h2>
          Service <span className="strong">{service}</span>
        </h2>
        <p className="text-warn">
          No component claims this Service, so it has no owner. It is listed on the Coverage page.
        </p>
        <Chain chain={a.chain} />
      </article>
    );
  }
  return (
    <>
      {a.stitched.map((d) => (
        <article className="answer" key={`${d.link.instance}/${service}`}>
          <h2>
            <Link to={ownerPath(d.link.ownerRef ?? '')}>
              {d.owner?.displayName ?? d.link.ownerRef ?? 'No owner'}
            </Link>
          </h2>
          <dl className="facts">
            <Fact term="Component">
              <Link to={componentPath(d.link.componentRef)}>{d.component?.title ?? d.link.componentRef}</Link>
            </Fact>
            <Fact term="Owner">{d.link.ownerRef ?? '—'}</Fact>
            <Fact term="Contact">
              <Mailto email={d.owner?.email} />
            </Fact>
            <Fact term="Service">{service}</Fact>
            <Fact term="Instance">{d.link.instance}</Fact>
          </dl>
          {!d.link.ownerRef && d.component?.owner.status === 'unresolved' ? (
            <div className="text-warn small">
              No owner link: no <code>component_owner</code> path names a group or user of the catalog.
              <Tried tried={d.component.owner.tried} />
            </div>
          ) : null}
          <Chain chain={a.chain} />
        </article>
      ))}
    </>
  );
}

export function WhoOwnsPage() {
  const [q, setQ] = useQueryParam('q');
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const result = useResource<WhoOwns>(q ? url('/api/stitchboard/who-owns', { q }) : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(draft.trim(), true);
  };
  const data = result.data;
  return (
    <>
      <PageHead title="Who owns this?">
        Paste a Service as <code>cluster/namespace/name</code>, or a pod name, and follow the chain to the
        team.
      </PageHead>
      <form className="toolbar" onSubmit={submit} role="search">
        <label className="field grow">
          <span className="visually-hidden">Service or pod</span>
          <input
            type="search"
            name="q"
            placeholder="alpha/shop/checkout  or  checkout-5f7d8-x2k4q"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            autoFocus
          />
        </label>
        <button type="submit" className="button primary">
          Find owner
        </button>
      </form>
      {!q ? (
        <Empty title="Nothing asked yet">
          The answer shows the component, its owner, how to reach them, and how they connect.
        </Empty>
      ) : null}
      <ResourceStates resource={result} what="the owner" failed="The owner could not be found" />
      {data?.clusterErrors.length ? (
        <div className="inline-warn" role="status">
          Some clusters could not be searched, so the answer may be incomplete:
          <ul>
            {data.clusterErrors.map((c, i) => (
              <li key={i}>
                {c.cluster}: {describeFetchError(c.error)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {data && data.as === 'pod' && data.pods.length === 0 ? (
        <Empty title={`No pod named “${data.query}” in any cluster`}>
          Check the name, or paste the Service instead.
        </Empty>
      ) : null}
      {data && data.as === 'pod' && data.pods.length > 0 && data.answers.length === 0 ? (
        <Empty title="The pod is behind no Service">
          Found in {data.pods.map((p) => `${p.cluster}/${p.namespace}`).join(', ')}, but no Service selects
          its labels.
        </Empty>
      ) : null}
      {data?.answers.map((a) => (
        <AnswerCard key={`${a.service.cluster}/${a.service.namespace}/${a.service.name}`} a={a} />
      ))}
    </>
  );
}
