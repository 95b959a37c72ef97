export * from './Processor';
export * from './localDate';
export { EVENT_LIMITS, validateEvent } from './validate';
export * from './enrich/geo';
export * from './enrich/trafficSource';
export * from './enrich/userAgent';
