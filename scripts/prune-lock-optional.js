#!/usr/bin/env node
// The npm registry reachable here does not serve every platform's optional native package (swc, msgpackr,
// unrs-resolver), so `npm install` writes a lock whose optionalDependencies name packages it has no entry
// for, and `npm ci` then refuses the lock. This drops those names; run it after `npm install` changes the lock.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((key) => key.split('node_modules/').pop()));
let dropped = 0;
for (const entry of Object.values(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!present.has(name)) {
      delete entry.optionalDependencies[name];
      dropped += 1;
    }
  }
  if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`dropped ${dropped} optional dependencies the lock has no entry for\n`);
