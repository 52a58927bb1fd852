/**
 * Keys of a Cloud Elements element instance that mean something there but nothing here: accepted, left
 * unused, and named in the `warnings` of the answer. (Sources: cloud-elements-facts.md §1 and §6.)
 */
const IGNORED_CONFIGURATION: Readonly<Record<string, string>> = {
  'filter.response.nulls': 'Cloud Elements dropped null fields from its API answers; events carry ServiceNow\'s values as they are',
  'event.notification.type': 'Cloud Elements knew only "webhook"; events always go to event.notification.callback.url',
  'event.notification.subscription.id': 'a Cloud Elements internal',
  'base.url': 'derived from servicenow.instance_url / servicenow.subdomain',
};

const IGNORED_CONFIGURATION_PREFIXES: ReadonlyArray<[string, string]> = [
  ['bulk.', 'Cloud Elements\' bulk API setting'],
  ['pagination.', 'snowgate pages through ServiceNow by itself'],
];

/** Top-level keys of a Cloud Elements instance *answer* (pasted back as a body). */
const IGNORED_TOP_LEVEL: Readonly<Record<string, string>> = Object.fromEntries(
  ['createdDate', 'token', 'elementId', 'provisionInteractions', 'valid', 'disabled', 'maxCacheSize', 'cacheTimeToLive', 'eventsEnabled',
    'traceLoggingEnabled', 'cachingEnabled', 'externalAuthentication', 'user'].map((k) => [k, 'a field of Cloud Elements\' instance answer']),
);

/** Configuration keys refused with a pointer to what replaces them. */
export const REPLACED_CONFIGURATION: Readonly<Record<string, string>> = {
  'event.poller.urls': 'the legacy one-line-per-resource poller is not supported: write event.poller.configuration',
};

/** Why a configuration key is ignored, or undefined when it is not one of Cloud Elements' ignored keys. */
export function ignoredConfigurationKey(key: string): string | undefined {
  return IGNORED_CONFIGURATION[key] ?? IGNORED_CONFIGURATION_PREFIXES.find(([prefix]) => key.startsWith(prefix))?.[1];
}

/** Why a top-level key is ignored, or undefined. */
export function ignoredTopLevelKey(key: string): string | undefined {
  return IGNORED_TOP_LEVEL[key];
}

/** The Cloud Elements ServiceNow elements, by key and by the ids their docs give them, with the authentication each implies. */
export const SERVICENOW_ELEMENTS: Readonly<Record<string, { key: string; auth: 'basic' | 'oauth2' }>> = {
  servicenow: { key: 'servicenow', auth: 'basic' },
  '145': { key: 'servicenow', auth: 'basic' },
  servicenowoauth: { key: 'servicenowoauth', auth: 'oauth2' },
  '566': { key: 'servicenowoauth', auth: 'oauth2' },
  '1323': { key: 'servicenowoauth', auth: 'oauth2' },
};
