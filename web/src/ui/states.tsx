import type { ReactNode } from 'react';
import { ApiError } from '../api.ts';
import type { Resource } from '../use-resource.ts';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

/** An error the reader can act on: what failed, the server's message, and a retry. */
export function ErrorBox({ title, error, retry }: { title: string; error: Error; retry?: () => void }) {
  const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status})` : '';
  const notBuiltYet = error instanceof ApiError && error.status === 404;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">
        {title}
        {status}
      </p>
      <p className="state-body">{error.message}</p>
      {notBuiltYet ? (
        <p className="state-body muted">This Stitchboard may not serve this part of the API yet.</p>
      ) : null}
      {retry ? (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** What a resource shows until it has data, or beside it when a refresh fails: a spinner, then an error with a retry. */
export function ResourceStates(props: { resource: Resource<unknown>; what: string; failed: string }) {
  const { loading, error, reload } = props.resource;
  return (
    <>
      {loading ? <Loading what={props.what} /> : null}
      {error ? <ErrorBox title={props.failed} error={error} retry={reload} /> : null}
    </>
  );
}
