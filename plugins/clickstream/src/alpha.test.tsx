import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { CLICKSTREAM_PROJECT_ID_ANNOTATION } from '@clickstream/backstage-plugin-clickstream-common';
import { screen } from '@testing-library/react';
import clickstreamPlugin from './alpha';
import { ClickstreamApi, clickstreamApiRef } from './api';

const api = {
  getHealth: async () => ({ status: 'ok', principal: 'user:default/ada' }),
  listProjects: async () => ({
    items: [],
    totalCount: 0,
    limit: 500,
    offset: 0,
  }),
} as Partial<ClickstreamApi> as ClickstreamApi;

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'shop', annotations },
  spec: {},
});

describe('the plugin for the new frontend system', () => {
  it('offers the page, the two entity cards and the Dashboards tab', () => {
    for (const id of [
      'api:clickstream',
      'page:clickstream',
      'entity-card:clickstream/pipeline',
      'entity-card:clickstream/sdk',
      'entity-content:clickstream/dashboards',
    ]) {
      expect(clickstreamPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('shows the Clickstream page at /clickstream, connected to the backend', async () => {
    renderTestApp({
      features: [clickstreamPlugin],
      initialRouteEntries: ['/clickstream'],
      apis: [[clickstreamApiRef, api]],
    });
    // The page is loaded lazily, as in an app.
    expect(
      await screen.findByText('Connected', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No clickstream projects yet'),
    ).toBeInTheDocument();
  });

  it('puts the cards on the entities of projects only', () => {
    for (const id of [
      'entity-card:clickstream/pipeline',
      'entity-card:clickstream/sdk',
    ] as const) {
      const filter = createExtensionTester(
        clickstreamPlugin.getExtension(id),
      ).get(EntityCardBlueprint.dataRefs.filterFunction)!;
      expect(
        filter(entity({ [CLICKSTREAM_PROJECT_ID_ANNOTATION]: 'shop' })),
      ).toBe(true);
      expect(filter(entity({}))).toBe(false);
    }
  });
});
