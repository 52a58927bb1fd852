/**
 * The install README's section on the gateway's own access to the instance: what an admin sets on
 * ServiceNow for each `authentication.type` (facts §5 and §10.8: client_credentials is off until a
 * property is created and the OAuth entity has an OAuth Application User).
 */
export function oauthSection(instanceId: string, publicUrl: string, section: number): string {
  const callback = `${publicUrl.replace(/\/+$/, '')}/oauth/callback`;
  return `## ${section}. Let snowgate read the instance (authentication.type)

The gateway reads cases, journal entries and attachments through the Table and Attachment APIs. Give it
a dedicated integration user (in \`sys_user\`: **Web service access only** checked) with roles that read
those tables (for example \`sn_customerservice_agent\`, or \`csm_ws_integration\` for the Case API), then
set up one of these, matching the \`authentication.type\` of instance \`${instanceId}\`:

- **\`oauth2\`** (authorization code, refresh tokens; the default). Navigate to **System OAuth >
  Application Registry**, click **New**, choose **Create an OAuth API endpoint for external clients**, set
  **Redirect URL** to \`${callback}\` (or the instance's \`oauth.callback.url\`) and submit. Put its
  **Client ID** and **Client Secret** into \`oauth.api.key\` and \`oauth.api.secret\`, then open
  \`${publicUrl.replace(/\/+$/, '')}/instances/${instanceId}/oauth/authorize?token=<admin token>\` and approve as the integration
  user. Keep **Refresh Token Lifespan** long (default 8,640,000 s = 100 days); re-authorize before it ends.
- **\`oauth2_client_credentials\`** (no browser step; Washington DC or later). It is **off by default**.
  1. In \`sys_properties.list\` create \`glide.oauth.inbound.client.credential.grant_type.enabled\`, type
     **true | false**, value \`true\`.
  2. Create the OAuth endpoint as above (the Redirect URL is not used), then on its form add the field
     **OAuth Application User** (Configure > Form Layout) and set it to the integration user: tokens act
     as that user, and without it every token request fails (401 \`access_denied\`).
  3. Put the Client ID and Client Secret into \`oauth.api.key\` and \`oauth.api.secret\`.
- **\`basic\`**: the integration user's \`username\` and \`password\` in the configuration. Nothing else to set.

\`POST /instances/${instanceId}/test-connection\` (admin token) checks the chosen mode and names what is
missing (\`unauthorized\`, \`reauthorization_required\`, …).`;
}
