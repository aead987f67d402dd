import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkPrerequisites } from './binaries.ts';

/** Runs checkPrerequisites in a fresh Node with `env`, returning its error message (or ''). */
function checkWith(env: NodeJS.ProcessEnv): string {
  const module = new URL('./binaries.ts', import.meta.url).href;
  const script = `import(${JSON.stringify(module)}).then((m) => { try { m.checkPrerequisites(); } catch (e) { process.stdout.write(e.message); } });`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  expect(res.stderr).toBe('');
  return res.stdout;
}

describe('checkPrerequisites', () => {
  it('passes on this machine', () => {
    expect(() => checkPrerequisites()).not.toThrow();
  });

  it('names each missing tool with the package that provides it', () => {
    const message = checkWith({ PATH: '/nonexistent' });
    expect(message).toContain('Test clusters need what is missing here:');
    expect(message).toContain('openssl (apt-get install openssl)');
    expect(message).toContain('bash (to run tools/kube/build-kube-apiserver.sh)');
  });
});
