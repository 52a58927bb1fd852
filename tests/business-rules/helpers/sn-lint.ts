import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// eslint 8 ships no type declarations (and @types/eslint is not installed): the members used here.
export interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
}
interface EslintModule {
  ESLint: new (options: object) => { lintText(code: string, options: { filePath: string }): Promise<Array<{ messages: LintMessage[] }>> };
}
const { ESLint } = require('eslint') as EslintModule;

/** The alt (JavaScript environment) of `@admc.com/eslint-plugin-sn` a scriptlet is linted as. */
export type SnAlt = 'global' | 'scoped-es5';

/**
 * Lints ServiceNow scriptlets with `@admc.com/eslint-plugin-sn`'s own `servicenow` config, as its
 * `snLint` wrapper does: the file path is the pseudo path `<table>/<alt>/<name>.js` that selects the
 * table's and scope's globals and rules (e.g. `sys_script/global/x.js`). The plugin reads its global
 * lists from an `snglobals` directory in the working directory's ancestors or the home directory; the
 * package's own lists are offered from a temporary working directory while the plugin loads.
 */
export async function createSnLinter(): Promise<(code: string, table: string, alt: SnAlt) => Promise<LintMessage[]>> {
  const pluginDir = path.dirname(require.resolve('@admc.com/eslint-plugin-sn/package.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snlint-'));
  fs.symlinkSync(path.join(pluginDir, 'resources', 'snglobals'), path.join(dir, 'snglobals'));
  const cwd = process.cwd();
  const savedWarn = console.warn;
  console.warn = () => undefined; // the plugin's IIFE rule prints debug counts
  process.chdir(dir);
  let eslint: InstanceType<EslintModule['ESLint']>;
  try {
    eslint = new ESLint({ cwd, useEslintrc: false, overrideConfig: { root: true, plugins: ['@admc.com/sn'], extends: ['plugin:@admc.com/sn/servicenow'] } });
    await eslint.lintText('gs.log("load", "snlint");', { filePath: 'sys_script/global/load.js' });
  } finally {
    process.chdir(cwd);
    console.warn = savedWarn;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return async (code, table, alt) => {
    console.warn = () => undefined;
    try {
      const [result] = await eslint.lintText(code, { filePath: `${table}/${alt}/script.js` });
      return result!.messages;
    } finally {
      console.warn = savedWarn;
    }
  };
}
