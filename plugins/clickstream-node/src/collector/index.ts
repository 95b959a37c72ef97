export { Collector } from './Collector';
export type {
  CollectorApp,
  CollectorOptions,
  CollectorStats,
} from './Collector';
export { SegmentLogSink } from './EventSink';
export type { EventSink } from './EventSink';
export { createCollectorServer } from './server';
export type { CollectorServerOptions } from './server';
export { KinesisSink, KINESIS_MAX_RECORD_BYTES } from './sinks/KinesisSink';
export type { KinesisSinkOptions } from './sinks/KinesisSink';
