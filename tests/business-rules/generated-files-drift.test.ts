import fs from 'node:fs';
import path from 'node:path';
import { readUnloadDate, renderScriptFiles, UPDATE_SET_FILE, writeScriptsDirectory } from '../../src/business-rules/generate-scripts';
import { sandboxBundle } from './helpers/fixtures';

/**
 * servicenow-scripts/ is committed for the sandbox instance. It must be exactly what the generator
 * writes: regenerate with `npm run scripts:generate` (or `SNOWGATE_WRITE_SCRIPTS=1 npx jest
 * tests/business-rules/generated-files-drift`).
 */
const DIR = path.resolve(__dirname, '..', '..', 'servicenow-scripts');

describe('servicenow-scripts/ matches the generator', () => {
  if (process.env.SNOWGATE_WRITE_SCRIPTS === '1') writeScriptsDirectory(DIR, sandboxBundle());

  // Everything but what building the SDK app in place would add (its .gitignore keeps that out of git).
  const onDisk = fs.readdirSync(DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(DIR, f)).isFile() && !/^fluent-app\/(node_modules|dist|target|\.now)\//.test(f))
    .sort();
  const committedXml = fs.readFileSync(path.join(DIR, UPDATE_SET_FILE), 'utf8');
  const files = renderScriptFiles(sandboxBundle(), readUnloadDate(committedXml));

  it('holds exactly the generated files', () => {
    expect(onDisk).toEqual([...files.keys()].sort());
  });

  it.each([...files.keys()])('%s is byte-identical to what the generator writes', (name) => {
    const fix = 'run `npm run scripts:generate` and commit servicenow-scripts/';
    expect({ name, same: fs.readFileSync(path.join(DIR, name), 'utf8') === files.get(name), fix }).toEqual({ name, same: true, fix });
  });
});
