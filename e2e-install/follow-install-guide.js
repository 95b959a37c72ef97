// @ts-check
// Follows docs/install.md in an app made by create-app, the way a reader would: runs its
// `yarn` commands and puts each code block where its first line says. Then checks that every
// package README gives the same code blocks, so the READMEs are tested word for word too.
//
//   node e2e-install/follow-install-guide.js [--frontend new|legacy] <app dir> <install.md> [README.md ...]
//
// A code block to apply starts with `// <file>, <where>`; the places it knows are the ones a
// person would look for in a create-app app (PLACES below). An unknown place, a missing file
// or an anchor that is not found stops the run with a message.
'use strict';

const { execSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
// Which of the guide's "(… frontend system)" sections to follow: the app's.
let frontend = 'legacy';
const flag = args.indexOf('--frontend');
if (flag >= 0) frontend = args.splice(flag, 2)[1];
const [appDir, guide, ...readmes] = args;
if (!appDir || !guide || !['new', 'legacy'].includes(frontend)) {
  console.error(
    'usage: follow-install-guide.js [--frontend new|legacy] <app dir> <install.md> [README.md ...]',
  );
  process.exit(2);
}

/**
 * The guide without the sections for the other frontend system.
 * @param {string} markdown
 */
function forThisApp(markdown) {
  const other = `(${frontend === 'new' ? 'legacy' : 'new'} frontend system)`;
  return markdown
    .split(/^(?=## )/m)
    .filter(section => !section.split('\n')[0].includes(other))
    .join('');
}

/** @typedef {{ lang: string, text: string }} Block */

/**
 * The fenced code blocks of a markdown text (of its "## <section>" when `section` is given).
 * @param {string} markdown
 * @param {string} [section]
 */
function codeBlocks(markdown, section) {
  let text = markdown;
  if (section) {
    const start = markdown.search(new RegExp(`^## ${section}\\b`, 'm'));
    if (start < 0) return [];
    const rest = markdown.slice(start + 3);
    const end = rest.search(/^## /m);
    text = end < 0 ? rest : rest.slice(0, end);
  }
  /** @type {Block[]} */
  const blocks = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) {
    blocks.push({ lang: m[1], text: m[2] });
  }
  return blocks;
}

/** @typedef {(lines: string[]) => number} Place */

/** Index of the line after the import declarations at the top of a file. @type {Place} */
function afterImports(lines) {
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    if (/^import\s/.test(lines[i])) {
      last = i;
      while (!/;\s*$/.test(lines[last])) last++;
      i = last;
    }
  }
  if (last < 0) throw new Error('no import declarations');
  return last + 1;
}

/**
 * Index of the first line containing `needle` at or after `from`.
 * @param {string[]} lines
 * @param {string} needle
 */
function lineWith(lines, needle, from = 0) {
  const i = lines.findIndex((line, n) => n >= from && line.includes(needle));
  if (i < 0) throw new Error(`no line with ${JSON.stringify(needle)}`);
  return i;
}

/** Where each named place is: the index the block's lines are inserted at. @type {Record<string, Place>} */
const PLACES = {
  'with the imports': afterImports,
  'before backend.start()': lines => lineWith(lines, 'backend.start()'),
  "in createApp's bindRoutes": lines =>
    lineWith(lines, 'bindRoutes({ bind })') + 1,
  'in <FlatRoutes>': lines => lineWith(lines, '<FlatRoutes>') + 1,
  'before entityPage': lines => lineWith(lines, 'export const entityPage'),
  "first in entityPage's <EntitySwitch>": lines =>
    lineWith(
      lines,
      '<EntitySwitch>',
      lineWith(lines, 'export const entityPage'),
    ) + 1,
  'after the Create... item': lines => lineWith(lines, 'text="Create..."') + 1,
};

/** @param {Block} block */
function apply(block) {
  const [header, ...body] = block.text.replace(/\n$/, '').split('\n');
  const m = /^\/\/ (\S+), (.+)$/.exec(header);
  if (!m)
    throw new Error(
      `a ${block.lang} block without "// <file>, <where>":\n${block.text}`,
    );
  const [, file, where] = m;
  const place = PLACES[where];
  if (!place) throw new Error(`${file}: unknown place "${where}"`);
  const path = join(appDir, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  let at;
  try {
    at = place(lines);
  } catch (e) {
    throw new Error(`${file}, ${where}: ${/** @type {Error} */ (e).message}`);
  }
  // Indented as the line it goes before, as an editor would.
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
  lines.splice(at, 0, ...body.map(line => (line ? indent + line : line)));
  writeFileSync(path, lines.join('\n'));
  console.log(`edited ${file}, ${where} (${body.length} lines)`);
}

const guideText = readFileSync(guide, 'utf8');
for (const block of codeBlocks(forThisApp(guideText))) {
  if (block.lang === 'sh' && /^yarn\s/.test(block.text)) {
    const command = block.text.replace(/\\\n\s*/g, ' ').trim();
    console.log(`$ ${command}`);
    execSync(command, { cwd: appDir, stdio: 'inherit' });
  } else if (block.lang === 'ts' || block.lang === 'tsx') {
    apply(block);
  }
}

// Each README's Install section must be what the guide gives, block for block.
const given = new Set(codeBlocks(guideText).map(b => b.text));
const differing = [];
for (const readme of readmes) {
  for (const block of codeBlocks(readFileSync(readme, 'utf8'), 'Install')) {
    if (
      (block.lang === 'ts' || block.lang === 'tsx') &&
      !given.has(block.text)
    ) {
      differing.push(`${readme}:\n${block.text}`);
    }
  }
}
if (differing.length > 0) {
  console.error(
    `README blocks that docs/install.md does not give word for word:\n\n${differing.join(
      '\n',
    )}`,
  );
  process.exit(1);
}
console.log(`followed ${guide}; ${readmes.length} READMEs agree with it`);
