/**
 * The Clickstream backend plugin.
 *
 * @packageDocumentation
 */

export { clickstreamPlugin as default } from './plugin';
