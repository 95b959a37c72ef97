import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  clickstreamAnalyticsReadPermission,
  METRIC_SHEETS,
  MetricSheet,
  MetricsQuery,
  MetricsResponse,
} from '@clickstream/backstage-plugin-clickstream-common';
import { QueryRunner } from '@clickstream/backstage-plugin-clickstream-node';
import { computeSheet } from '@clickstream/backstage-plugin-clickstream-pipeline';
import { LocalProcessing } from '../processing/LocalProcessing';
import { PipelineService } from './PipelineService';
import { ProjectsService } from './ProjectsService';

/**
 * The dashboards' numbers: finds the project's warehouse (the embedded DuckDB in this backend,
 * or the one its deployer serves, Redshift on AWS) and computes a sheet there for a reader.
 */
export class AnalyticsService {
  constructor(
    private readonly projects: ProjectsService,
    private readonly pipelines: PipelineService,
    private readonly processing: Pick<LocalProcessing, 'warehouse'>,
  ) {}

  async sheet(
    projectId: string,
    appId: string,
    sheetName: string,
    query: MetricsQuery,
    credentials: BackstageCredentials,
  ): Promise<MetricsResponse> {
    const sheet = sheetNamed(sheetName);
    const project = await this.projects.getProject(
      projectId,
      credentials,
      clickstreamAnalyticsReadPermission,
    );
    const app = await this.projects.getApp(project.id, appId, credentials);
    let warehouse: QueryRunner | undefined = this.processing.warehouse(
      project.id,
    );
    if (!warehouse && project.target.type === 'local') {
      throw new ConflictError(
        `the pipeline of project '${project.id}' is not running; deploy it to see metrics`,
      );
    }
    warehouse ??= await this.pipelines.warehouse(project, credentials);
    const timezone = query.timezone ?? app.timezone ?? 'UTC';
    const data = await computeSheet(warehouse, sheet, {
      appId: app.appId,
      from: query.from,
      to: query.to,
      timezone,
      storedTimezone: app.timezone ?? 'UTC',
      platform: query.platform,
      includeBots: query.includeBots,
    });
    return {
      sheet,
      appId: app.appId,
      from: query.from,
      to: query.to,
      timezone,
      platform: query.platform ?? null,
      data,
    };
  }
}

function sheetNamed(name: string): MetricSheet {
  const sheet = METRIC_SHEETS.find(s => s === name);
  if (!sheet) {
    throw new NotFoundError(
      `there is no metrics sheet '${name}'; the sheets are ${METRIC_SHEETS.join(
        ', ',
      )}`,
    );
  }
  return sheet;
}
