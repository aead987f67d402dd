import path from 'node:path';

/**
 * The import-boundary rule: folders under src/ stand in layers, and a module imports only from its own
 * layer or a lower one (see the table in eslint.config.js and CONTRIBUTING.md). The web UI (web/) imports
 * from src/ only what src/contract/ holds. Only relative imports can cross folders here, so only those
 * are checked; packages are free.
 */

/** Which unit a file belongs to: `web`, a folder under src/, `app` for a file directly in src/, or null. */
function unitOf(file, cwd) {
  const rel = path.relative(cwd, file).split(path.sep);
  if (rel[0] === 'web') return 'web';
  if (rel[0] !== 'src' || rel.length < 2) return null;
  return rel.length === 2 ? path.basename(rel[1], path.extname(rel[1])) : rel[1];
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go down the layers of src/; web/ imports only src/contract/' },
    schema: [
      {
        type: 'object',
        properties: {
          layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          web: { type: 'array', items: { type: 'string' } },
        },
        required: ['layers', 'web'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward:
        "'{{from}}' (layer {{fromRank}}) must not import from '{{to}}' (layer {{toRank}}): move the shared piece down to the lower layer",
      web: "web/ imports from src/ only {{allowed}}; '{{to}}' is a server internal: put the wire type in src/contract/",
      intoWeb: "'{{from}}' must not import from web/",
      unplaced:
        'src/{{unit}} has no layer: give it one in the layers table of eslint.config.js (and CONTRIBUTING.md)',
    },
  },
  create(context) {
    const [{ layers, web }] = context.options;
    const rank = new Map(layers.flatMap((group, i) => group.map((unit) => [unit, i])));
    const cwd = context.cwd;
    const file = context.filename;
    const from = unitOf(file, cwd);
    if (from === null) return {};

    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = unitOf(path.resolve(path.dirname(file), source), cwd);
      if (to === null || to === from) return;
      if (from === 'web') {
        if (!web.includes(to)) {
          context.report({ node, messageId: 'web', data: { to, allowed: web.join(', ') } });
        }
        return;
      }
      if (to === 'web') return context.report({ node, messageId: 'intoWeb', data: { from } });
      for (const unit of [from, to]) {
        if (!rank.has(unit)) return context.report({ node, messageId: 'unplaced', data: { unit } });
      }
      if (rank.get(to) > rank.get(from)) {
        context.report({
          node,
          messageId: 'upward',
          data: { from, to, fromRank: rank.get(from), toRank: rank.get(to) },
        });
      }
    }

    const withSource = (node) => check(node.source, node.source?.value);
    return {
      ImportDeclaration: withSource,
      ExportNamedDeclaration: withSource,
      ExportAllDeclaration: withSource,
      ImportExpression: (node) =>
        check(node.source, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};

export default { rules: { layers: layersRule } };
