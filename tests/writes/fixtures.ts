/** The access-management product's incident template of issue 13, verbatim. */
export const APONO_TEMPLATE = `{
  "caused_by": "{{ data.requester.name }}",
  "short_description": "{{ data.access_groups.[0].integration.name }}",
  "cause": "{{ event_type }}",
  "description": "{ \\"event_type\\": \\"{{ event_type }}\\", \\"id\\": \\"{{ data.id }}\\", \\"requester_email\\": \\"{{ data.requester.email }}\\", \\"justification\\": \\"{{ data.justification }}\\" }",
  "reopened_by": "apono app"
}`;

