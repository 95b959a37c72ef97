export interface Config {
  clickstream?: {
    /**
     * The demo of a first start (this repository's backend only): a `local` project whose app a
     * data generator keeps feeding, so the pipeline and dashboards show real numbers at once.
     */
    demo?: {
      /** Off unless true. */
      enabled?: boolean;
      /** The demo project's id. Default: demo */
      projectId?: string;
      /** Days of history sent when the project is created. Default: 28 */
      historyDays?: number;
      /** Simulated people in that history. Default: 300 */
      historyUsers?: number;
      /** New simulated people a minute in the live feed; 0 turns the feed off. Default: 2 */
      usersPerMinute?: number;
    };
  };
}
