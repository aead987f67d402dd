export type HealthValue = 'ok' | 'warning' | 'error' | 'none' | 'unknown';

const LABELS: Record<HealthValue, string> = {
  ok: 'OK',
  warning: 'Warning',
  error: 'Error',
  none: 'Not running',
  unknown: 'Unknown',
};

/** Colour and a word, never colour alone; `label` when the word is not the health's own (a run status). */
export function HealthBadge({
  health,
  title,
  label,
}: {
  health: HealthValue;
  title?: string;
  label?: string;
}) {
  return (
    <span className={`badge health-${health}`} title={title}>
      <span className="dot" aria-hidden="true" />
      {label ?? LABELS[health]}
    </span>
  );
}
