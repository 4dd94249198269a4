// Loads the addon. When it cannot, the error says why (the install-time build's note, if any),
// so the trainer's backend ladder can show the reason beside the rung it skipped.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const note = join(__dirname, 'build', 'unavailable.txt');
const binary = join(__dirname, 'build', 'Release', 'layerlab_native.node');
if (!existsSync(binary)) {
  const why = existsSync(note) ? readFileSync(note, 'utf8').trim() : 'the addon has not been built';
  throw new Error(`native engine not built at install (${why}); run: npm rebuild layerlab-native`);
}
module.exports = require(binary);
