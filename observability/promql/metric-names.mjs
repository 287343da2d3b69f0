// Reads a JSON array of PromQL expressions on stdin; prints a JSON array with, for each, the metric
// names its selectors read (or {"error": ...} where it does not parse). Grafana variables are
// replaced by plain values first, since they are not PromQL.
import { parser } from '@prometheus-io/lezer-promql';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));

function grafanaFree(expr) {
  return expr
    .replace(/\$__(rate_interval|interval|range)/g, '5m')
    .replace(/\[\$\{?\w+\}?\]/g, '[5m]')
    .replace(/\$\{?(\w+)(:\w+)?\}?/g, 'x');
}

function names(expr) {
  const text = grafanaFree(expr);
  const tree = parser.parse(text);
  const found = new Set();
  let error = null;
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        error = `does not parse at ${node.from}: ${text.slice(Math.max(0, node.from - 20), node.to + 20)}`;
      }
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) {
          found.add(text.slice(id.from, id.to));
        }
      }
    },
  });
  return error ? { error } : [...found].sort();
}

process.stdout.write(JSON.stringify(input.map(names)));
