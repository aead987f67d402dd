import { describe, expect, it } from 'vitest';
import { WEB_CONTAINERS, WEB_STATUS, WEB_USAGE } from '../../test/fixtures/pod-metrics.ts';
import { podMetricsFor } from './pod-metrics.ts';

const pod = (name: string) => ({
  metadata: { name, namespace: 'shop' },
  spec: { containers: WEB_CONTAINERS },
});

describe('podMetricsFor', () => {
  it('sums usage in cores and bytes against requests and limits', () => {
    const [status] = podMetricsFor([pod('web-1')], {
      items: [
        {
          metadata: { name: 'web-1' },
          containers: Object.entries(WEB_USAGE).map(([name, usage]) => ({ name, usage })),
        },
      ],
    });
    const { pod: _, ...usage } = status ?? {};
    expect(usage).toEqual(WEB_STATUS);
  });

  it('lists a pod without metrics with zero usage and no containers', () => {
    const [status] = podMetricsFor([pod('web-2')], { items: [] });
    expect(status?.cpu.currentUsage).toBe(0);
    expect(status?.memory.currentUsage).toBe(0);
    expect(status?.containers).toEqual([]);
  });
});
