export interface Config {
  clickstream?: {
    catalog?: {
      /**
       * How often the catalog re-reads the Clickstream projects, in seconds. Default: 5
       */
      refreshSeconds?: number;
    };
  };
}
