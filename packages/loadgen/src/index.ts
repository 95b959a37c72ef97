/**
 * A deterministic load and data generator for the Clickstream collector.
 *
 * @packageDocumentation
 */

export { simulate } from './simulate';
export type { SimulateOptions, SimulationResult } from './simulate';
export { send, checkEndpoint, isLoopbackHost, EndpointError } from './send';
export type { SendOptions, SendResult } from './send';
export { computeTruth, landingSource } from './truth';
export type { GroundTruth, Counts, TruthRequest, TruthMeta } from './truth';
export {
  decodeBody,
  encodeBody,
  hashCode,
  sessionId,
  sessionTimePart,
  utcDay,
  PLATFORMS,
} from './protocol';
export type {
  Platform,
  SdkEvent,
  SdkItem,
  SimulatedRequest,
  UserAttributeValue,
} from './protocol';
export { mulberry32, mixSeed, Rng } from './prng';
