/** The SDKs' documented limits; events beyond them did not come from an SDK and are quarantined. @public */
export const EVENT_LIMITS = {
  eventNameLength: 50,
  attributes: 500,
  attributeNameLength: 50,
  attributeValueLength: 1024,
  userAttributes: 100,
  items: 100,
} as const;

const EVENT_NAME = /^(?![0-9])[0-9a-zA-Z_]+$/;

/**
 * Checks one decoded event against what the pipeline needs and what the SDKs guarantee.
 * Returns the reason it is refused, or undefined when it is good.
 *
 * @public
 */
export function validateEvent(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return 'event is not a JSON object';
  }
  const e = event as Record<string, unknown>;
  if (typeof e.event_id !== 'string' || e.event_id.length === 0) {
    return 'event_id is missing or not a string';
  }
  if (e.event_id.length > 128) return 'event_id is longer than 128 characters';
  if (typeof e.app_id !== 'string' || e.app_id.length === 0) {
    return 'app_id is missing or not a string';
  }
  if (
    typeof e.timestamp !== 'number' ||
    !Number.isFinite(e.timestamp) ||
    e.timestamp <= 0
  ) {
    return 'timestamp is missing or not a positive number of milliseconds';
  }
  if (e.timestamp >= 8.64e15) {
    return 'timestamp is later than any date (milliseconds since 1970 expected)';
  }
  const name = e.event_type ?? e.event_name;
  if (typeof name !== 'string' || name.length === 0) {
    return 'event_type is missing or empty';
  }
  if (name.length > EVENT_LIMITS.eventNameLength) {
    return `event_type is longer than ${EVENT_LIMITS.eventNameLength} characters`;
  }
  if (!EVENT_NAME.test(name)) {
    return 'event_type must contain only letters, digits and underscores, and not start with a digit';
  }
  for (const field of ['attributes', 'user'] as const) {
    const value = e[field];
    if (
      value !== undefined &&
      value !== null &&
      (typeof value !== 'object' || Array.isArray(value))
    ) {
      return `${field} must be a JSON object`;
    }
  }
  if (e.items !== undefined && e.items !== null && !Array.isArray(e.items)) {
    return 'items must be a JSON array';
  }
  const attributes = (e.attributes ?? {}) as Record<string, unknown>;
  const names = Object.keys(attributes);
  if (names.length > EVENT_LIMITS.attributes) {
    return `more than ${EVENT_LIMITS.attributes} attributes`;
  }
  for (const key of names) {
    if (key.length > EVENT_LIMITS.attributeNameLength) {
      return `attribute name '${key.slice(0, 60)}…' is longer than ${
        EVENT_LIMITS.attributeNameLength
      } characters`;
    }
    const value = attributes[key];
    if (
      typeof value === 'string' &&
      value.length > EVENT_LIMITS.attributeValueLength &&
      // Stacks and URLs are the SDK's own values, not subject to the custom attribute limit.
      key !== '_exception_stack' &&
      key !== '_page_url' &&
      key !== '_page_referrer' &&
      key !== '_latest_referrer'
    ) {
      return `attribute '${key}' is longer than ${EVENT_LIMITS.attributeValueLength} characters`;
    }
  }
  if (
    Object.keys((e.user ?? {}) as object).length > EVENT_LIMITS.userAttributes
  ) {
    return `more than ${EVENT_LIMITS.userAttributes} user attributes`;
  }
  if (Array.isArray(e.items) && e.items.length > EVENT_LIMITS.items) {
    return `more than ${EVENT_LIMITS.items} items`;
  }
  return undefined;
}
