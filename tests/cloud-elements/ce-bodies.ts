/**
 * Cloud Elements element-instance bodies as their ServiceNow docs print them (cloud-elements/devportal
 * `docs/elements/servicenow{,-oauth}/events.md` and `authenticate.md`, docs.cloud-elements.com
 * `servicenow-oauth-events`), with only the <PLACEHOLDERS> filled in.
 */

/** The poller resource both events pages print. */
const DOCS_ACCOUNTS_RESOURCE = {
  url: "/hubs/helpdesk/accounts?where=sys_updated_on>'${gmtDate:yyyy-MM-dd'T'HH:mm:ss}'",
  idField: 'sys_id',
  datesConfiguration: {
    updatedDateField: 'sys_updated_on',
    updatedDateFormat: 'yyyy-MM-dd HH:mm:ss',
    createdDateField: 'sys_created_on',
    createdDateFormat: 'yyyy-MM-dd HH:mm:ss',
  },
};

/** `servicenow` (basic) with polling, from events.md — `providerData` included, as that page shows it. */
export function basicPollingBody(fill: { subdomain: string; callbackUrl: string; code?: string }): Record<string, unknown> {
  return {
    element: { key: 'servicenow' },
    providerData: { code: fill.code ?? '1c6ff4089d58d80e86482ab7d5b97f15dd7b041d' },
    configuration: {
      username: 'admin',
      password: 'admin',
      'servicenow.subdomain': fill.subdomain,
      'event.notification.enabled': true,
      'event.notification.callback.url': fill.callbackUrl,
      'event.poller.refresh_interval': '15',
      'event.poller.configuration': { accounts: DOCS_ACCOUNTS_RESOURCE },
    },
    tags: ['migrated'],
    name: 'CE_Polling',
  };
}

/** `servicenowoauth` with polling, from docs.cloud-elements.com: the callback URL left empty, as printed there. */
export function oauthPollingBody(fill: { subdomain: string; clientId: string; clientSecret: string; callbackUrl: string; code: string }): Record<string, unknown> {
  return {
    element: { key: 'servicenowoauth' },
    providerData: { code: fill.code },
    configuration: {
      'oauth.callback.url': fill.callbackUrl,
      'oauth.api.key': fill.clientId,
      'oauth.api.secret': fill.clientSecret,
      'servicenow.subdomain': fill.subdomain,
      'event.notification.enabled': true,
      'event.notification.callback.url': '',
      'event.poller.refresh_interval': '15',
      'event.poller.configuration': { accounts: DOCS_ACCOUNTS_RESOURCE },
    },
    tags: ['Docs'],
    name: 'API Instance',
  };
}

/** `servicenow` authentication only, from authenticate.md (no events). */
export function basicAuthenticateBody(subdomain: string): Record<string, unknown> {
  return {
    element: { key: 'servicenow' },
    configuration: { username: 'admin', password: 'admin', 'servicenow.subdomain': subdomain, 'filter.response.nulls': true },
    tags: ['Docs'],
    name: 'My_ServiceNow',
  };
}

/** The 2017 events page (devportal f62e3f11): strings for booleans and the element's four default resources. */
export function defaultsBody2017(fill: { subdomainUrl: string; callbackUrl: string }): Record<string, unknown> {
  const resource = (name: string, kind: 'gmtDate' | 'date', zone?: string) => ({
    url: `/hubs/helpdesk/${name}?where=sys_updated_on>'\${${kind}:yyyy-MM-dd'T'HH:mm:ss}'`,
    idField: 'sys_id',
    datesConfiguration: {
      updatedDateField: 'sys_updated_on', updatedDateFormat: 'yyyy-MM-dd HH:mm:ss', ...(zone ? { updatedDateTimezone: zone } : {}),
      createdDateField: 'sys_created_on', createdDateFormat: 'yyyy-MM-dd HH:mm:ss', ...(zone ? { createdDateTimezone: zone } : {}),
    },
  });
  return {
    element: { key: 'servicenow' },
    configuration: {
      username: 'admin',
      password: 'admin',
      'servicenow.subdomain': fill.subdomainUrl,
      'event.notification.enabled': 'true',
      'event.notification.callback.url': fill.callbackUrl,
      'event.poller.configuration': {
        accounts: resource('accounts', 'gmtDate'),
        contacts: resource('contacts', 'gmtDate'),
        agents: resource('agents', 'gmtDate'),
        incidents: resource('incidents', 'date', 'PST'),
      },
    },
    tags: ['INSERT_TAGS'],
    name: 'CE 2017',
  };
}
