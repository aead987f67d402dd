import { useState, type FormEvent } from 'react';
import { tokenStore } from '../api.ts';

/**
 * Shown only when the API refused a request for want of a token (static tokens are configured). The
 * token stays in this tab's sessionStorage and goes out as `Authorization: Bearer`, nowhere else.
 */
export function TokenPrompt({ rejected }: { rejected: boolean }) {
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) tokenStore.set(value.trim());
  };
  return (
    <form className="token-prompt" onSubmit={submit} aria-labelledby="token-title">
      <h2 id="token-title">This Stitchboard needs an access token</h2>
      <p>
        {rejected
          ? 'The token was refused. Paste another one.'
          : 'Paste one of the tokens configured in backend.auth.externalAccess.'}{' '}
        It is kept in this browser tab only.
      </p>
      <label className="field">
        <span>Token</span>
        <input
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          autoFocus
          name="token"
        />
      </label>
      <button type="submit" className="button primary">
        Use token
      </button>
    </form>
  );
}
