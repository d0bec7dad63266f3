// Each action README's inputs and outputs tables, generated from its action.yml between
// `<!-- action-docs:inputs -->` / `<!-- action-docs:end -->` markers (and the same for outputs).
// `node scripts/readme-tables.mjs` rewrites them; `--check` fails when one is stale or missing.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './bundle.mjs';

const END = '<!-- action-docs:end -->';

/** One Markdown table cell: no line breaks, pipes escaped. */
function cell(text) {
  return String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

export function inputsTable(manifest) {
  const rows = Object.entries(manifest.inputs ?? {}).map(([name, spec]) => {
    const fallback = spec.default === undefined || spec.default === '' ? '' : `\`${cell(spec.default)}\``;
    return `| \`${name}\` | ${spec.required ? 'yes' : 'no'} | ${fallback} | ${cell(spec.description)} |`;
  });
  return ['| Input | Required | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable(manifest) {
  const rows = Object.entries(manifest.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`,
  );
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

/** The README with both tables regenerated; throws when a marker pair is missing. */
export function renderReadme(readme, manifest, file = 'README.md') {
  let text = readme;
  for (const [kind, table] of [
    ['inputs', inputsTable(manifest)],
    ['outputs', outputsTable(manifest)],
  ]) {
    const start = `<!-- action-docs:${kind} -->`;
    const from = text.indexOf(start);
    const to = from === -1 ? -1 : text.indexOf(END, from);
    if (from === -1 || to === -1) throw new Error(`${file}: no ${start} … ${END} block`);
    text = `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`;
  }
  return text;
}

export function actionDirs(root = repoRoot) {
  const dir = path.join(root, 'actions');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'action.yml')))
    .map((d) => path.join(dir, d.name))
    .sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const dir of actionDirs()) {
    const readmePath = path.join(dir, 'README.md');
    const file = path.relative(repoRoot, readmePath);
    const manifest = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8'));
    const current = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
    const wanted = renderReadme(current, manifest, file);
    if (wanted === current) continue;
    if (check) stale.push(file);
    else {
      writeFileSync(readmePath, wanted);
      console.log(`updated ${file}`);
    }
  }
  if (stale.length > 0) {
    console.error(`stale inputs/outputs tables (run npm run docs): ${stale.join(', ')}`);
    process.exit(1);
  }
}
