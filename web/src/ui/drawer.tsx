import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A side panel beside the page, not over it: the page behind stays usable and keeps updating. Takes
 * focus when it opens, gives it back when it closes, and closes on Escape.
 */
export function Drawer(props: {
  title: string;
  subtitle?: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  const panel = useRef<HTMLElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    return () => before?.focus?.();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside className="drawer" role="dialog" aria-labelledby="drawer-title" tabIndex={-1} ref={panel}>
      <header className="drawer-head">
        <div>
          <h2 id="drawer-title">{props.title}</h2>
          {props.subtitle ? <div className="drawer-sub">{props.subtitle}</div> : null}
        </div>
        <button type="button" className="button icon" onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      <div className="drawer-body">{props.children}</div>
    </aside>
  );
}
