import { Row } from './tables';

/** How a batch went, counted: nothing is dropped without being counted here. @public */
export interface ProcessingStats {
  records: number;
  events: number;
  /** Valid events, ready to load (before warehouse deduplication). */
  accepted: number;
  /** Events (or undecodable requests) kept in the quarantine table. */
  quarantined: number;
  /** Requests quarantined whole (undecodable, over the limits, or failing to process). */
  quarantinedRequests: number;
  /** Bytes of event JSON decoded (gzip undone): what the batch cost to process. */
  expandedBytes: number;
  /** Dropped: older than the data freshness window, or dated in the future. */
  stale: number;
  /** Dropped: the app id is not one of the project's apps. */
  unknownApp: number;
  /** Kept with `is_bot = true`. */
  bots: number;
  /** Events whose timestamps were shifted to correct the client's clock. */
  clockAdjusted: number;
}

/** The rows of one batch, ready for the warehouse. @public */
/** The rows of one batch, ready for the warehouse. @public */
export interface ProcessedBatch {
  events: Row[];
  items: Row[];
  /** One row per pseudo user seen in the batch (the warehouse merges them with what it has). */
  users: Row[];
  /** One row per session seen in the batch. */
  sessions: Row[];
  quarantine: Row[];
  stats: ProcessingStats;
}
