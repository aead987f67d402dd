import { describe, expect, it } from 'vitest';
import { DEFAULT_LABEL_MAP } from '../topology/label-map.ts';
import { endpointProblem } from './scrapers-checks.ts';
import { DEFAULT_DISCOVERY_MATCH } from './scrapers-schema.ts';
import { validateConfig } from './validate.ts';

const validate = (scrapers: unknown, extra: Record<string, unknown> = {}) =>
  validateConfig({ scrapers, ...extra }, { cwd: '/srv' });

const withCluster = {
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [{ name: 'prod', url: 'https://prod.example.com', authProvider: 'serviceAccount' }],
      },
    ],
  },
};

describe('scrapers section', () => {
  it('is optional, and off by default when present', () => {
    expect(validateConfig({}, { cwd: '/srv' }).config?.scrapers).toBeUndefined();
    const result = validate({ backstage: {} });
    expect(result.errors).toEqual([]);
    expect(result.config?.scrapers).toEqual({
      backstage: {
        enabled: false,
        intervalMs: 300_000,
        timeoutMs: 30_000,
        leaseTtlMs: 30_000,
        labelMap: DEFAULT_LABEL_MAP,
        discovery: {
          enabled: true,
          namespaces: [],
          labelSelectors: ['causely.ai/scraper=Backstage', 'stitchboard.io/scraper=Backstage'],
          secretLabels: { 'causely.ai/scraper': 'Backstage' },
        },
        instances: [],
      },
    });
  });

  it("accepts the seed's Helm values verbatim", () => {
    const result = validate({
      backstage: {
        enabled: true,
        instances: [
          {
            secretName: 'backstage-credentials',
            namespace: 'causely',
            label_map: {
              component_kubernetes_id: ['annotations.backstage.io/kubernetes-id'],
              component_kubernetes_namespace: ['annotations.backstage.io/kubernetes-namespace'],
              component_owner: ['spec.owner', 'annotations.backstage.io/owner'],
            },
          },
        ],
      },
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config?.scrapers?.backstage.instances).toEqual([
      {
        source: 'secret',
        name: 'causely/backstage-credentials',
        secretName: 'backstage-credentials',
        namespace: 'causely',
        labelMap: DEFAULT_LABEL_MAP,
      },
    ]);
  });

  it('takes direct endpoints, names, clusters, durations and a default label_map', () => {
    const result = validate(
      {
        backstage: {
          enabled: 'true',
          interval: '2m',
          timeout: '10s',
          leaseTtl: 15000,
          cluster: 'prod',
          label_map: { component_owner: ['annotations.example.com/team'] },
          discovery: { namespaces: ['tools', 'tools'] },
          instances: [
            { name: 'main', endpoint: 'https://backstage.example.com', token: 'sekret-token' },
            { endpoint: 'http://127.0.0.1:7007', insecure_skip_verify: 'false' },
            { secretName: 'bs', namespace: 'tools' },
          ],
        },
      },
      withCluster,
    );
    expect(result.errors).toEqual([]);
    const backstage = result.config?.scrapers?.backstage;
    expect(backstage).toMatchObject({
      enabled: true,
      intervalMs: 120_000,
      timeoutMs: 10_000,
      leaseTtlMs: 15_000,
      cluster: 'prod',
      discovery: { enabled: true, cluster: 'prod', namespaces: ['tools'], ...DEFAULT_DISCOVERY_MATCH },
    });
    const custom = { ...DEFAULT_LABEL_MAP, component_owner: ['annotations.example.com/team'] };
    expect(backstage?.instances).toEqual([
      {
        source: 'config',
        name: 'main',
        endpoint: 'https://backstage.example.com',
        token: 'sekret-token',
        insecureSkipVerify: false,
        labelMap: custom,
      },
      {
        source: 'config',
        name: '127.0.0.1:7007',
        endpoint: 'http://127.0.0.1:7007',
        insecureSkipVerify: false,
        labelMap: custom,
      },
      {
        source: 'secret',
        name: 'prod/tools/bs',
        secretName: 'bs',
        namespace: 'tools',
        cluster: 'prod',
        labelMap: custom,
      },
    ]);
  });

  it.each([
    [
      'neither secretName nor endpoint',
      [{ name: 'x' }],
      'instances[0].secretName',
      /required: set secretName/,
    ],
    [
      'both secretName and endpoint',
      [{ secretName: 'a', namespace: 'b', endpoint: 'https://x.example.com' }],
      'instances[0].endpoint',
      /either secretName .* or endpoint, not both/,
    ],
    [
      'secretName without namespace',
      [{ secretName: 'a' }],
      'instances[0].namespace',
      /required with secretName/,
    ],
    [
      'a bad Secret name',
      [{ secretName: 'Bad_Name', namespace: 'ns' }],
      'instances[0].secretName',
      /not a Secret name/,
    ],
    ['a bad namespace', [{ secretName: 'a', namespace: 'NS!' }], 'instances[0].namespace', /not a namespace/],
    [
      'a trailing slash',
      [{ endpoint: 'https://backstage.example.com/' }],
      'instances[0].endpoint',
      /must not end with "\/"/,
    ],
    [
      'a bad scheme',
      [{ endpoint: 'ftp://backstage.example.com' }],
      'instances[0].endpoint',
      /http or https URL, not ftp/,
    ],
    ['no scheme', [{ endpoint: 'backstage.example.com' }], 'instances[0].endpoint', /not a valid URL/],
    [
      'a duplicate name',
      [
        { name: 'main', endpoint: 'https://a.example.com' },
        { name: 'main', endpoint: 'https://b.example.com' },
      ],
      'instances[1].name',
      /already used by instances\[0\]/,
    ],
    [
      'a bad name',
      [{ name: 'has space', endpoint: 'https://a.example.com' }],
      'instances[0].name',
      /instance name/,
    ],
    [
      'an unknown label_map key',
      [{ endpoint: 'https://a.example.com', label_map: { component_id: ['metadata.name'] } }],
      'instances[0].label_map.component_id',
      /unknown key/,
    ],
    [
      'a bad label_map path',
      [{ endpoint: 'https://a.example.com', label_map: { component_owner: ['spec.owner', 'nope.x'] } }],
      'instances[0].label_map.component_owner[1]',
      /unknown root "nope"/,
    ],
  ])('refuses %s', (_name, instances, path, message) => {
    const result = validate({ backstage: { enabled: true, instances } });
    expect(result.config).toBeUndefined();
    expect(result.errors).toContainEqual({
      path: `scrapers.backstage.${path}`,
      message: expect.stringMatching(message),
    });
  });

  it.each([
    ['interval', { interval: '0s' }, 'scrapers.backstage.interval', /at least 1000 ms/],
    ['interval', { interval: 'soon' }, 'scrapers.backstage.interval', /duration/],
    [
      'discovery namespaces',
      { discovery: { namespaces: ['ok', 'Not OK'] } },
      'scrapers.backstage.discovery.namespaces[1]',
      /namespace/,
    ],
    ['enabled', { enabled: 'yes' }, 'scrapers.backstage.enabled', /expected boolean/],
    [
      'a label selector that does not parse',
      { discovery: { labelSelector: 'causely.ai/scraper=Back stage' } },
      'scrapers.backstage.discovery.labelSelector',
      /not a label selector: invalid label value/,
    ],
    [
      'a bad selector in a list',
      { discovery: { labelSelector: ['team=a', 'bad key!=x'] } },
      'scrapers.backstage.discovery.labelSelector[1]',
      /not a label selector/,
    ],
    [
      'an empty selector, which would match every Secret',
      { discovery: { labelSelector: ' ' } },
      'scrapers.backstage.discovery.labelSelector',
      /would match every Secret/,
    ],
    [
      'an empty list',
      { discovery: { labelSelector: [] } },
      'scrapers.backstage.discovery.labelSelector',
      /at least one label selector/,
    ],
    [
      'a first selector new Secrets cannot be labelled to match',
      { discovery: { labelSelector: ['example.com/backstage'] } },
      'scrapers.backstage.discovery.labelSelector[0]',
      /first selector’s key=value pairs/,
    ],
    [
      'a label selector that is not text',
      { discovery: { labelSelector: 42 } },
      'scrapers.backstage.discovery.labelSelector',
      /expected a label selector or a list of them/,
    ],
  ])('checks %s', (_name, backstage, path, message) => {
    const result = validate({ backstage });
    expect(result.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('takes one label selector or a list; new Secrets get the first one’s key=value pairs', () => {
    const one = validate({
      backstage: { discovery: { labelSelector: 'team=platform,causely.ai/scraper=Backstage' } },
    });
    expect(one.errors).toEqual([]);
    expect(one.config?.scrapers?.backstage.discovery).toMatchObject({
      labelSelectors: ['team=platform,causely.ai/scraper=Backstage'],
      secretLabels: { team: 'platform', 'causely.ai/scraper': 'Backstage' },
    });
    const list = validate({
      backstage: {
        discovery: {
          labelSelector: ['app in (backstage, bs)', 'stitchboard.io/scraper=Backstage', '!legacy'],
        },
      },
    });
    expect(list.errors).toEqual([]);
    expect(list.config?.scrapers?.backstage.discovery).toMatchObject({
      labelSelectors: ['app in (backstage, bs)', 'stitchboard.io/scraper=Backstage', '!legacy'],
      secretLabels: { app: 'backstage' },
    });
  });

  it('warns about a cluster no locator defines, and keys that are ignored', () => {
    const result = validate(
      {
        backstage: {
          cluster: 'prdo',
          instances: [
            { secretName: 'a', namespace: 'b', token: 'ignored-token' },
            { endpoint: 'https://a.example.com', namespace: 'x', insecure_skip_verify: true },
          ],
          extra: 1,
        },
      },
      withCluster,
    );
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        path: 'scrapers.backstage.cluster',
        message: 'no cluster named "prdo" in kubernetes.clusterLocatorMethods',
      },
      {
        path: 'scrapers.backstage.instances[0].token',
        message: expect.stringMatching(/ignored with secretName/),
      },
      {
        path: 'scrapers.backstage.instances[1].namespace',
        message: expect.stringMatching(/ignored with endpoint/),
      },
      {
        path: 'scrapers.backstage.instances[1].insecure_skip_verify',
        message: 'TLS verification of this Backstage is off',
      },
      { path: 'scrapers.backstage.extra', message: 'not a key Stitchboard knows (ignored)' },
    ]);
  });

  it('never puts a token in an issue', () => {
    const token = 'tok-0123456789-secret';
    const bad = validate({
      backstage: { instances: [{ endpoint: `https://u:${token}@x.example.com/`, token }] },
    });
    expect(JSON.stringify(bad.errors)).not.toContain(token);
  });
});

describe('scrapers.catalog', () => {
  const fileCatalog = { stitchboard: { catalog: [{ type: 'file', path: 'catalog' }] } };

  it('is absent unless set, and names the instance local with the default label_map', () => {
    expect(validate({ backstage: {} }, fileCatalog).config?.scrapers?.catalog).toBeUndefined();
    const result = validate({ catalog: { enabled: true } }, fileCatalog);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config?.scrapers?.catalog).toEqual({
      enabled: true,
      name: 'local',
      labelMap: DEFAULT_LABEL_MAP,
    });
    expect(result.config?.scrapers?.backstage.enabled).toBe(false);
  });

  it('takes a name and a label_map, which otherwise falls back to scrapers.backstage.label_map', () => {
    const owner = { component_owner: ['annotations.example.com/team'] };
    const own = validate(
      {
        catalog: {
          enabled: 'true',
          name: 'files',
          label_map: { component_kubernetes_id: ['metadata.name'] },
        },
      },
      fileCatalog,
    );
    expect(own.errors).toEqual([]);
    expect(own.config?.scrapers?.catalog).toEqual({
      enabled: true,
      name: 'files',
      labelMap: { ...DEFAULT_LABEL_MAP, component_kubernetes_id: ['metadata.name'] },
    });
    const inherited = validate({ backstage: { label_map: owner }, catalog: { enabled: true } }, fileCatalog);
    expect(inherited.config?.scrapers?.catalog?.labelMap).toEqual({ ...DEFAULT_LABEL_MAP, ...owner });
  });

  it.each([
    ['a bad name', { enabled: true, name: 'has space' }, 'scrapers.catalog.name', /instance name/],
    ['enabled', { enabled: 'yes' }, 'scrapers.catalog.enabled', /expected boolean/],
    [
      'a bad label_map path',
      { enabled: true, label_map: { component_owner: ['nope.x'] } },
      'scrapers.catalog.label_map.component_owner[0]',
      /unknown root "nope"/,
    ],
    [
      'an unknown label_map key',
      { enabled: true, label_map: { component_id: ['metadata.name'] } },
      'scrapers.catalog.label_map.component_id',
      /unknown key/,
    ],
  ])('refuses %s', (_name, catalog, path, message) => {
    const result = validate({ catalog }, fileCatalog);
    expect(result.config).toBeUndefined();
    expect(result.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it.each([
    ['its default name', { enabled: true }, 'local', 'scrapers.catalog.enabled', /set scrapers.catalog.name/],
    ['its name', { enabled: true, name: 'main' }, 'main', 'scrapers.catalog.name', /names must be unique$/],
  ])('refuses %s when a Backstage instance has it', (_name, catalog, taken, path, message) => {
    const result = validate(
      { backstage: { instances: [{ name: taken, endpoint: 'https://a.example.com' }] }, catalog },
      fileCatalog,
    );
    expect(result.errors).toEqual([
      {
        path,
        message: expect.stringMatching(
          new RegExp(`"${taken}" is already used by scrapers.backstage.instances\\[0\\]`),
        ),
      },
    ]);
    expect(result.errors[0]?.message).toMatch(message);
  });

  it('allows a clash while off, and warns when there is no catalog to read or a key is unknown', () => {
    const off = validate({
      backstage: { instances: [{ name: 'local', endpoint: 'https://a.example.com' }] },
      catalog: { enabled: false },
    });
    expect(off.errors).toEqual([]);
    const result = validate({ catalog: { enabled: true, lable_map: {} } });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      {
        path: 'scrapers.catalog.enabled',
        message: expect.stringMatching(/stitchboard.catalog lists no source/),
      },
      { path: 'scrapers.catalog.lable_map', message: expect.stringMatching(/not a key Stitchboard knows/) },
    ]);
  });
});

describe('endpointProblem', () => {
  it.each([
    ['https://backstage.example.com', undefined],
    ['http://127.0.0.1:7007', undefined],
    ['https://backstage.example.com/base', undefined],
    ['https://backstage.example.com/', /must not end with "\/"/],
    ['https://backstage.example.com/?x=1', /must not end|query/],
    ['https://backstage.example.com?x=1', /query or fragment/],
    ['file:///etc/passwd', /not file/],
    ['', /not a valid URL/],
  ])('%s', (value, expected) => {
    const problem = endpointProblem(value);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
