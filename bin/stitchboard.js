#!/usr/bin/env node
// Entry point. Stitchboard runs its TypeScript sources directly on Node 24's type stripping,
// so an older Node fails here with a clear message instead of a syntax error deep inside.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `stitchboard needs Node.js 24 or newer; this is ${process.version}.\n` +
      'Run it through npm (`npm run stitchboard -- <command>`), which uses the Node 24 that `npm ci` installs.',
  );
  process.exit(1);
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
