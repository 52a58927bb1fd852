import fs from 'node:fs';
import path from 'node:path';
import type { BusinessRuleBundle } from './business-rule-bundle';
import { renderFluentApp } from './fluent-app';
import { renderInstallReadme } from './install-readme';
import { renderUpdateSetXml } from './update-set-xml';

/** The update set's file name in the output directory. */
export const UPDATE_SET_FILE = 'update-set.xml';

/**
 * Every file of the output directory, by relative path: one script per table, README.md, update-set.xml
 * (global scope only: an update set of global records) and the ServiceNow SDK app in `fluent-app/`.
 */
export function renderScriptFiles(bundle: BusinessRuleBundle, generatedAt: Date = new Date()): Map<string, string> {
  const files = new Map<string, string>();
  for (const s of bundle.scripts) files.set(s.fileName, s.script);
  files.set('README.md', renderInstallReadme(bundle));
  if (!bundle.scope) files.set(UPDATE_SET_FILE, renderUpdateSetXml(bundle, generatedAt));
  for (const [name, content] of renderFluentApp(bundle)) files.set(name, content);
  return files;
}

/** The `unload_date` of an update set written earlier (UTC), if it has one. */
export function readUnloadDate(xml: string): Date | undefined {
  const m = /<unload unload_date="(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)"/.exec(xml);
  return m ? new Date(`${m[1]}T${m[2]}Z`) : undefined;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes the bundle's files into `outDir` (created if missing) and returns what changed. The update
 * set keeps its earlier date when nothing else in it changed, so regenerating an unchanged bundle
 * leaves every file byte-identical (and git quiet).
 */
export function writeScriptsDirectory(outDir: string, bundle: BusinessRuleBundle, now: Date = new Date()): { written: string[]; unchanged: string[] } {
  fs.mkdirSync(outDir, { recursive: true });
  const previousXml = readIfExists(path.join(outDir, UPDATE_SET_FILE));
  const previousDate = previousXml === undefined ? undefined : readUnloadDate(previousXml);
  let files = renderScriptFiles(bundle, previousDate ?? now);
  if (previousDate && files.get(UPDATE_SET_FILE) !== previousXml) files = renderScriptFiles(bundle, now);
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [name, content] of files) {
    const file = path.join(outDir, name);
    if (readIfExists(file) === content) {
      unchanged.push(name);
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    written.push(name);
  }
  return { written, unchanged };
}
