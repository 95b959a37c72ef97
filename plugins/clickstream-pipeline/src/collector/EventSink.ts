import { IngestRecord } from '../buffer/record';
import { SegmentLog } from '../buffer/SegmentLog';

/**
 * Where the collector puts what it accepts. `write` resolves only once the record is
 * durable in the sink: the collector acknowledges the request after that.
 * @public
 */
export interface EventSink {
  write(record: IngestRecord): Promise<void>;
}

/** The embedded target's sink: the local segment log. @public */
export class SegmentLogSink implements EventSink {
  constructor(private readonly log: SegmentLog) {}

  async write(record: IngestRecord): Promise<void> {
    await this.log.append(record);
  }
}
