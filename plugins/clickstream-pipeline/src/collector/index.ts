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
export { S3Sink } from './sinks/S3Sink';
export type { S3SinkOptions } from './sinks/S3Sink';
export { MskSink } from './sinks/MskSink';
export type { MskSinkOptions } from './sinks/MskSink';
