import type { BusinessRuleBundle } from './business-rule-bundle';
import { RULE_ORDER } from './business-rule-specs';
import { fluentAppSection, FLUENT_APP_DIR } from './fluent-app';
import { oauthSection } from './install-readme-oauth';
import { LOG_SOURCE } from './script-template';
import { webhookProperties } from './system-properties';
import { updateSetName } from './update-set-xml';

const tick = (on: boolean): string => (on ? 'yes' : 'no');

function propertySection(b: BusinessRuleBundle): string {
  const rows = b.properties.map((p) => {
    const value = p.value ?? "the instance's webhook secret, `whsec_…` (see below)";
    return `| \`${p.name}\` | ${p.type} | ${p.value === undefined ? value : `\`${value}\``} | ${p.readRoles} | ${p.writeRoles} | ${tick(p.isPrivate)} |`;
  });
  return `## 1. Create the system properties

In the filter navigator type \`sys_properties.list\` and press Enter, then click **New** once per row.
Fill **Name**, **Type**, **Value**, **Read roles**, **Write roles** and the **Private** checkbox
(yes = checked), and click **Submit**.

| Name | Type | Value | Read roles | Write roles | Private |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

The secret is the \`webhookSecret\` that \`POST /instances\` returned for instance \`${b.instanceId}\` (the
\`webhook.secret\` of its configuration; the sandbox prints it at start-up). Paste it whole, prefix
included. It is never written into these files. Type **password2** stores it encrypted and shows it
masked; **Private** keeps later edits of it out of update sets.

If the instance is not reachable at \`${b.webhookBaseUrl}\` from ServiceNow, start snowgate with
\`SNOWGATE_PUBLIC_URL\` set to its public address and regenerate these files.`;
}

function ruleSection(b: BusinessRuleBundle): string {
  const rows = b.rules.map((r) =>
    `| ${r.name} | \`${r.table}\` | ${r.when} | ${tick(r.actions.includes('insert'))} | ${tick(r.actions.includes('update'))} | ${tick(r.actions.includes('delete'))} | ${r.order} | \`${r.fileName}\` |`);
  const conditions = b.scripts.map((s) => `   - \`${s.table}\`:\n\n     \`\`\`js\n     ${s.rules[0]!.condition}\n     \`\`\`\n`);
  const where = b.scope ? `with the application picker set to your scoped application \`${b.scope}\`` : 'in the global scope';
  return `## 2. Create the business rules

Navigate to **System Definition > Business Rules** and click **New** once per row (${where}).

Insert, Update and Delete are the checkboxes of the **When to run** tab (yes = checked).

| Name | Table | When | Insert | Update | Delete | Order | Script file |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

For each rule:
1. Type the **Name**, pick the **Table**, leave **Active** checked and check **Advanced**.
2. On the **When to run** tab set **When** and the **Insert** / **Update** / **Delete** checkboxes
   as in the row (Query stays unchecked), set **Order** to ${RULE_ORDER}, and leave Filter Conditions empty.
3. On the **Advanced** tab paste into **Condition** the line for the table:

${conditions.join('\n')}
4. Replace the whole **Script** with the contents of the script file and click **Submit**.

A table's rules share one script: it reads the operation from \`current.operation()\`.`;
}

function updateSetSection(b: BusinessRuleBundle): string {
  const secret = webhookProperties(b.scope).secret.name;
  return `## 3. Or import the update set

1. Navigate to **System Update Sets > Retrieved Update Sets** and click
   **Import Update Set from XML** (a related link at the bottom of the list).
2. Choose \`update-set.xml\` and click **Upload**.
3. Open **${updateSetName(b.instanceId)}**, click **Preview Update Set**, then **Commit Update Set**.
4. Open the property \`${secret}\` (\`sys_properties.list\`) and set its **Value** to the
   secret as in section 1: the update set creates it without a value, so that no secret travels in a
   file. (Should it not be in the list, create it as in section 1.)

The records carry fixed sys_ids derived from the instance id and the rule names, so importing a newer
update set updates the same rules. Check the secret is still set after a re-import.`;
}

function whySection(b: BusinessRuleBundle): string {
  const deleteRule = b.scope
    ? `- **async for delete too.** A scoped application may only add async (or before) rules to tables of other
  scopes, so the delete rule is async as well: it reports the record as the platform hands it to the job,
  and posts with \`executeAsync()\`. The signature's timestamp must reach the gateway within 5 minutes.`
    : `- **after + \`executeAsync()\` for delete.** An async job may find the record already gone, so the delete
  rule runs in the transaction and hands the POST to the ECC queue without waiting. The signature's
  timestamp must reach the gateway within 5 minutes: a long ECC backlog shows up as 401s.`;
  const signing = b.scope
    ? '`CertificateEncryption.generateMac` (the scoped API)'
    : '`new GlideCertificateEncryption().generateMac` (the global API)';
  return `## Why the rules look like this

- **async for insert and update.** The user's transaction does not wait; the rule runs from the
  scheduler, re-reading the record, so it reports the record as saved. It calls \`execute()\`: it is
  already in the background, and waiting lets it log a non-2xx answer. \`previous\` is null there.
${deleteRule}
- **webhook-id** is \`{sys_id}-{sys_mod_count}\` (\`{sys_id}-deleted\` for a delete): the gateway answers
  200 \`duplicate\` for a change it already has, and the poller's report of the same change merges with it.
- **Signing.** ${signing} takes a Base64 key: the part of \`whsec_…\` after the prefix is that Base64,
  the key bytes of the Standard Webhooks spec.
- **Only this scope's APIs**, so the scripts lint clean with the ServiceNow scriptlet linter
  (\`@admc.com/eslint-plugin-sn\`, \`sys_script\` ${b.scope ? 'scoped-es5' : 'global'}), and logging happens inside its own
  \`try\`: a failure is logged, never thrown into the user's save, even if logging itself fails.
- **The secret property.** ServiceNow's documentation does not say whether \`gs.getProperty\` returns a
  password2 property decrypted. So the script checks: when the value it reads does not start with
  \`whsec_\` it sends nothing and logs \`snowgate: … not sent\`. If you see that error with the secret
  set, change the property's type to **string** (keep read and write roles \`admin\`).
- **ES5 only** (\`var\`, \`function\`, string concatenation), so the scripts run whatever the
  JavaScript mode of the rule.
- **Record fields** are strings from \`getValue\` (empty → \`""\`), a minimal list per table; the gateway
  reads the rest through the Table API.
`;
}

/**
 * The install README for a bundle: properties, rules (table, When, checkboxes, Advanced, Order,
 * Condition), the update set (global scope) or the SDK app, what to set for the gateway's OAuth mode,
 * how to check, and why the rules are built as they are.
 */
export function renderInstallReadme(b: BusinessRuleBundle): string {
  const names = webhookProperties(b.scope);
  const logs = b.scope
    ? `with \`gs.error\` (source: the application \`${b.scope}\`)`
    : `with \`gs.logError\` (source \`${LOG_SOURCE}\`)`;
  const install = b.scope
    ? `by hand (sections 1 and 2) or by building the ServiceNow SDK app in \`${FLUENT_APP_DIR}/\` (section 3), as an admin,
in your scoped application \`${b.scope}\``
    : `either by
hand (sections 1 and 2) or by importing \`update-set.xml\` (section 3), as an admin, with the application
picker set to **Global**. \`${FLUENT_APP_DIR}/\` is the same as a scoped ServiceNow SDK app (section 4): install one or the other`;
  const sections = b.scope ? [fluentAppSection(b, 3)] : [updateSetSection(b), fluentAppSection(b, 4)];
  const next = sections.length + 3;
  return `# snowgate business rules for instance \`${b.instanceId}\`

Generated by \`npx snowgate generate-scripts --instance ${b.instanceId}${b.scope ? ` --scope ${b.scope}` : ''}\` (also served by
\`GET /instances/${b.instanceId}/business-rules${b.scope ? `?scope=${b.scope}` : ''}\`). Regenerate instead of editing.

These rules POST every case change, every case comment / work note and every case attachment added or
removed to \`${b.webhookBaseUrl}/<table>\`, signed with Standard Webhooks headers. Install them ${install}.

${propertySection(b)}

${ruleSection(b)}

${sections.join('\n\n')}

${oauthSection(b.instanceId, b.publicUrl, next)}

## ${next + 1}. Check it works

Update a case. Within a few seconds **System Logs > Outbound HTTP Requests** shows a POST to
\`${b.webhookBaseUrl}/sn_customerservice_case\` with status 202 (200 for a repeat). Problems are logged
${logs} and the prefix \`snowgate:\` in **System Logs > System Log > Errors**; they never block
the user's save. Set \`${names.enabled.name}\` to \`false\` to stop every rule at once.

${whySection(b)}`;
}
