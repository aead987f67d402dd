import { describe, expect, it } from 'vitest';
import { parseConfigYaml } from './yaml-file.ts';

describe('parseConfigYaml', () => {
  it('parses a mapping', () => {
    expect(parseConfigYaml('a: 1\nb: [x]\n', 'c.yaml')).toEqual({ value: { a: 1, b: ['x'] }, issues: [] });
  });

  it.each([
    ['an empty file', ''],
    ['only comments', '# nothing yet\n'],
  ])('treats %s as an empty config', (_, text) => {
    expect(parseConfigYaml(text, 'c.yaml')).toEqual({ value: {}, issues: [] });
  });

  it.each([
    ['a bad indent', 'kubernetes:\n  a: [1, 2\nb: 3\n', 'app.yaml:3:1'],
    ['a duplicate key', 'a: 1\na: 2\n', 'app.yaml:2:1'],
    ['an unclosed quote', 'a: 1\nb: "open\n', 'app.yaml:3:1'],
  ])('names file, line and column for %s', (_, text, where) => {
    const { issues } = parseConfigYaml(text, 'app.yaml');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(where);
    expect(issues[0]?.message).toMatch(/^YAML syntax error: /);
  });

  it('reports one error, not the cascade after it, and never quotes the source', () => {
    const text =
      'backend:\n  auth: { token: sup3rs3cretvalue, x: {\nkubernetes:\n  serviceAccountToken: an0ther-s3cret\n';
    const { issues } = parseConfigYaml(text, 'app.yaml');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/more after it/);
    expect(JSON.stringify(issues)).not.toMatch(/s3cret/);
  });

  it.each([
    ['a list', '- a\n- b\n', 'array'],
    ['a string', 'hello\n', 'string'],
  ])('rejects %s at the top level', (_, text, type) => {
    expect(parseConfigYaml(text, 'c.yaml').issues).toEqual([
      { path: 'c.yaml', message: `the top level must be a mapping of keys, not ${type}` },
    ]);
  });

  it('rejects several documents in one file', () => {
    const { issues } = parseConfigYaml('a: 1\n---\nb: 2\n', 'c.yaml');
    expect(issues[0]?.message).toMatch(/several YAML documents/);
  });
});
