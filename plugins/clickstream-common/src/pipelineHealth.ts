/**
 * The answer of `GET /projects/:projectId/pipeline/health`: what watches a running pipeline
 * and what it says now. On AWS, the pipeline's CloudWatch alarms; embedded, the backend's own
 * checks of its collector, buffer and processing worker.
 */

/** A check's state, in CloudWatch's words for an alarm's. @public */
export type HealthState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One thing that watches the pipeline. @public */
export interface HealthCheck {
  /** What it watches, in words: "Processing failed", "Buffer disk use". */
  name: string;
  state: HealthState;
  /** Why it is in that state, or the figure it watches. */
  reason: string | null;
  /** Where to look further (the alarm in the CloudWatch console). */
  url: string | null;
  /** When the state last changed (ISO time), when known. */
  since: string | null;
}

/** @public */
export interface PipelineHealth {
  checks: HealthCheck[];
}
