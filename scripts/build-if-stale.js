#!/usr/bin/env node
/**
 * `npm start` runs what is built: TypeScript is compiled again only when a source (or a tsconfig) is newer
 * than the build, or a source has no compiled file yet. `npm install` builds once (prepare); a restart
 * with unchanged sources starts at once instead of spending ~20 s in tsc.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist', 'cli.js');

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** Why a build is needed, or undefined when dist/ is up to date. */
function staleness() {
  if (!fs.existsSync(built)) return 'no build yet';
  const builtAt = fs.statSync(built).mtimeMs;
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((f) => path.join(root, f));
  for (const file of [...configs, ...sources(path.join(root, 'src'))]) {
    if (fs.statSync(file).mtimeMs > builtAt) return `${path.relative(root, file)} changed`;
    if (file.endsWith('.ts') && file.startsWith(path.join(root, 'src'))) {
      const output = path.join(root, 'dist', path.relative(path.join(root, 'src'), file)).replace(/\.ts$/, '.js');
      if (!fs.existsSync(output)) return `${path.relative(root, file)} is not built`;
    }
  }
  return undefined;
}

const reason = staleness();
if (reason) {
  process.stderr.write(`building (${reason})…\n`);
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  process.exit(tsc.status ?? 1);
}
