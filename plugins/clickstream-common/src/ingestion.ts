/**
 * The answer of `GET /projects/:projectId/ingestion`: what a `local` project's collector and
 * processing worker have done since the backend started.
 */

/** An event as the recent-events view shows it. @public */
export interface RecentEvent {
  receivedAt: string;
  appId: string;
  platform: string | null;
  eventId: string | null;
  eventType: string | null;
  timestamp: number | null;
}

/** The processing worker of a `local` project. @public */
export interface ProcessingReport {
  running: boolean;
  /** Bytes in the buffer not processed yet. */
  lagBytes: number;
  /** The newest event time loaded (ms), and when the last batch was committed (ms). */
  lastEventTime: number | null;
  lastBatchAt: number | null;
  lastError: string | null;
  /** Events processed during the last minute. */
  eventsPerMinute: number;
  /** Totals since this backend started. */
  totals: {
    records: number;
    events: number;
    loaded: number;
    duplicates: number;
    quarantined: number;
    stale: number;
    unknownApp: number;
    bots: number;
    /** Damaged byte ranges in the buffer that held no whole record, skipped. */
    corrupt: number;
  };
}

/** @public */
export interface IngestionReport {
  running: boolean;
  /** Requests accepted since this backend started. */
  accepted: number;
  /** Requests refused since this backend started, by HTTP status. */
  rejected: Record<number, number>;
  /** When the collector last accepted a request (ISO time), since this backend started. */
  lastReceivedAt: string | null;
  bufferBytes: number;
  recentEvents: RecentEvent[];
  processing: ProcessingReport;
}
