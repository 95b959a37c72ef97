import { Entity } from '@backstage/catalog-model';
import {
  App,
  IngestionReport,
  Pipeline,
  Project,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ResponseError } from '@backstage/errors';
import { ClickstreamApi } from '../api';

/** Test data shaped like the backend's answers for a deployed `local` project `shop`. */
export const project: Project = {
  id: 'shop',
  name: 'Shop',
  description: '',
  owner: 'group:default/analytics-team',
  environment: 'Prod',
  target: { type: 'local' },
  notificationEmails: [],
  createdBy: 'user:default/ada',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  version: 1,
};

export const app = (overrides: Partial<App> = {}): App => ({
  projectId: 'shop',
  appId: 'web',
  name: 'Web shop',
  description: '',
  platforms: ['Web'],
  androidPackage: null,
  iosBundleId: null,
  timezone: 'Asia/Tokyo',
  corsOrigins: [],
  enabled: true,
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  version: 1,
  ...overrides,
});

const MODULES = ['ingestion', 'buffer', 'processing', 'modeling', 'reporting'];

export const pipeline = (overrides: Partial<Pipeline> = {}): Pipeline => ({
  projectId: 'shop',
  config: {} as Pipeline['config'],
  status: 'Active',
  lastAction: 'Create',
  execution: 'SUCCEEDED',
  operation: null,
  stacks: MODULES.map(name => ({ name, status: 'CREATE_COMPLETE' })),
  outputs: {
    endpointUrl: 'http://localhost:7007/api/clickstream/collect/shop',
    dashboards: [],
  },
  templateVersion: null,
  lastError: null,
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  version: 1,
  ...overrides,
});

export const ingestion = (
  overrides: Partial<IngestionReport> = {},
): IngestionReport => ({
  running: true,
  accepted: 120,
  rejected: {},
  lastReceivedAt: new Date(Date.now() - 5_000).toISOString(),
  bufferBytes: 1000,
  recentEvents: [],
  processing: {
    running: true,
    lagBytes: 0,
    lastEventTime: Date.now() - 5_000,
    lastBatchAt: Date.now() - 4_000,
    lastError: null,
    eventsPerMinute: 240,
    totals: {
      records: 120,
      events: 480,
      loaded: 480,
      duplicates: 0,
      quarantined: 0,
      stale: 0,
      unknownApp: 0,
      corrupt: 0,
      bots: 0,
    },
  },
  ...overrides,
});

/** The catalog entity the Clickstream provider makes for a project (default `shop`). */
export const projectEntityFor = (projectId: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: projectId,
    annotations: { 'clickstream/project-id': projectId },
  },
  spec: { type: 'clickstream-project', owner: 'group:default/analytics-team' },
});
export const projectEntity = projectEntityFor('shop');

/** A ClickstreamApi whose calls are jest mocks answering like a healthy `shop` project. */
export function mockClickstreamApi(
  overrides: Partial<ClickstreamApi> = {},
): jest.Mocked<ClickstreamApi> {
  return {
    getHealth: jest.fn(),
    listProjects: jest.fn(),
    getProject: jest.fn(async () => project),
    updateProject: jest.fn(async (_projectId, request) => ({
      ...project,
      ...(request as Partial<Project>),
      version: project.version + 1,
    })),
    deleteProject: jest.fn(async () => undefined),
    listApps: jest.fn(async () => ({
      items: [app()],
      totalCount: 1,
      limit: 500,
      offset: 0,
    })),
    createApp: jest.fn(async (_projectId, request) => app(request as any)),
    updateApp: jest.fn(async (_projectId, appId, request) =>
      app({ ...(request as Partial<App>), appId, version: 2 }),
    ),
    deleteApp: jest.fn(async () => undefined),
    getPipeline: jest.fn(async () => pipeline()),
    updatePipelineConfig: jest.fn(async () => pipeline({ version: 2 })),
    getIngestion: jest.fn(async () => ingestion()),
    getPipelineHealth: jest.fn(async () => ({ checks: [] })),
    listAccountResources: jest.fn(async () => []),
    deployPipeline: jest.fn(async () => pipeline({ status: 'Updating' })),
    upgradePipeline: jest.fn(async () => pipeline({ status: 'Updating' })),
    retryPipeline: jest.fn(async () => pipeline({ status: 'Updating' })),
    deletePipeline: jest.fn(async () => pipeline({ status: 'Deleting' })),
    getMetrics: jest.fn(),
    ...overrides,
  } as jest.Mocked<ClickstreamApi>;
}

/** The error the client throws for an answer of the backend with this status and error. */
export function responseError(
  statusCode: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/clickstream' },
        response: { statusCode },
      }),
      {
        status: statusCode,
        statusText: name,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}
