export interface Config {
  clickstream?: {
    aws?: {
      /**
       * A prebuilt collector image the project's account can pull, such as
       * 123456789012.dkr.ecr.eu-west-1.amazonaws.com/clickstream-collector:1.0.0 (an ECR image
       * of that account is pulled with the task's execution role). Default: the image is built
       * from the plugin's Dockerfile at each deployment, which needs Docker on the backend's
       * host.
       */
      collectorImage?: string;
      /**
       * Where the collector's image is built when no collectorImage is set: `docker` on the
       * backend's host at each deployment (the default; it needs Docker there), or `codebuild`
       * in the project's account by an AWS CodeBuild project of the ingestion stack, for
       * backends without Docker (in Kubernetes, say).
       */
      collectorImageBuild?: 'docker' | 'codebuild';
    };
  };
}
