// The search script's tokenizer against the shared text vectors.
//
//   node tools/check-text-vectors.mjs
//
// themes/default/static/search.js tokenizes queries in the browser; the
// build (src/search.rs, src/text.rs) tokenizes pages. A query finds a page
// only if both cut text the same way, so both are tested against
// tests/fixtures/text-vectors.json: the Rust side in `cargo test`, this
// script for the JS side, in plain Node (no browser, no dependencies).
//
// The script's token functions live between its `// ---- tokens` and
// `// ---- bundle` markers, inside the closure that runs the search box;
// they are evaluated here on their own, so the file served to readers is
// exactly the file tested.
//
// Prints one line per failure and "N passed, M failed"; exits 1 on a failure.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = fs.readFileSync(path.join(root, 'themes/default/static/search.js'), 'utf8');
const vectors = JSON.parse(
  fs.readFileSync(path.join(root, 'tests/fixtures/text-vectors.json'), 'utf8'),
);

function section(start, end) {
  const from = script.indexOf(start);
  const to = script.indexOf(end, from);
  if (from < 0 || to < 0) {
    throw new Error(`search.js no longer has the markers ${start} … ${end}`);
  }
  return script.slice(from, to);
}

const maxWord = script.match(/const MAX_WORD = \d+;/);
if (!maxWord) throw new Error('search.js no longer declares MAX_WORD');
const tokens = section('// ---- tokens', '// ---- bundle');
const { isCjk, tokenize, queryParts, normalize } = new Function(
  `'use strict';\n${maxWord[0]}\n${tokens}\nreturn { isCjk, tokenize, queryParts, normalize };`,
)();

let passed = 0;
let failed = 0;
function check(what, got, want) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g === w) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${what}\n  got:  ${g}\n  want: ${w}`);
  }
}

for (const c of vectors.is_cjk) {
  const cp = c.char.codePointAt(0);
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  check(`isCjk(${c.char} U+${hex}, ${c.why})`, isCjk(cp), c.cjk);
}
for (const c of vectors.query) {
  check(`tokenize(${JSON.stringify(c.text)})`, tokenize(c.text), c.tokens);
  const parts = queryParts(c.text).map((p) => ({
    terms: p.terms,
    prefix: p.prefix,
    phrase: p.phrase,
  }));
  check(`queryParts(${JSON.stringify(c.text)})`, parts, c.parts);
  check(`normalize(${JSON.stringify(c.text)})`, normalize(c.text).s, c.normalized);
}

console.log(`text vectors: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
