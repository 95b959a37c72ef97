import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  AccountResourceKind,
  defaultPipelineConfig,
  ProjectTargetType,
} from '@clickstream/backstage-plugin-clickstream-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ClickstreamApi, clickstreamApiRef } from '../../api';
import { mockClickstreamApi, pipeline } from '../../testing/fixtures';
import { EditPipelineDialog } from './EditPipelineDialog';

async function renderDialog(api: ClickstreamApi, target: ProjectTargetType) {
  const onClose = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[clickstreamApiRef, api]]}>
      <EditPipelineDialog
        pipeline={pipeline({
          config: defaultPipelineConfig(target),
          version: 4,
        })}
        target={target}
        open
        onClose={onClose}
      />
    </TestApiProvider>,
  );
  return { dialog: await screen.findByRole('dialog'), onClose };
}

/** Opens a Material UI select by its label and picks an option. */
function choose(dialog: HTMLElement, label: string, option: string) {
  fireEvent.mouseDown(
    within(dialog).getByRole('button', { name: new RegExp(`^${label}`) }),
  );
  fireEvent.click(screen.getByRole('option', { name: option }));
}

describe('<EditPipelineDialog />', () => {
  it('edits a local pipeline through the form: only its options, each checked beside its field', async () => {
    const api = mockClickstreamApi();
    const { dialog, onClose } = await renderDialog(api, 'local');
    const save = within(dialog).getByRole('button', { name: 'Save' });

    // Nothing changed yet; the AWS-only options are not offered.
    expect(save).toBeDisabled();
    expect(within(dialog).queryByLabelText(/^Sink/)).not.toBeInTheDocument();
    expect(
      within(dialog).queryByLabelText('Warehouse'),
    ).not.toBeInTheDocument();

    fireEvent.change(within(dialog).getByLabelText('Data freshness (hours)'), {
      target: { value: '0' },
    });
    expect(
      within(dialog).getAllByText(
        'processing.dataFreshnessHours: Number must be greater than or equal to 1',
      ),
    ).toHaveLength(2); // beside the field and in the list above Save
    expect(save).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Data freshness (hours)'), {
      target: { value: '24' },
    });
    expect(
      within(dialog).getByLabelText('What the change redeploys'),
    ).toHaveTextContent(
      'Changed: processing.dataFreshnessHours. The next update restarts the collector and processing with it.',
    );

    // A channel rule whose pattern RE2 refuses.
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Add a channel rule' }),
    );
    const rule = within(dialog).getByRole('group', { name: 'Channel rule 1' });
    fireEvent.change(within(rule).getByLabelText('Channel'), {
      target: { value: 'Partners' },
    });
    fireEvent.change(within(rule).getByLabelText('medium matches'), {
      target: { value: '(?=partner)' },
    });
    expect(
      within(rule).getByText(/must be a valid RE2 regular expression/),
    ).toBeInTheDocument();
    expect(save).toBeDisabled();
    fireEvent.change(within(rule).getByLabelText('medium matches'), {
      target: { value: '^partner$' },
    });
    expect(save).toBeEnabled();

    fireEvent.click(save);
    const config = defaultPipelineConfig('local');
    await waitFor(() =>
      expect(api.updatePipelineConfig).toHaveBeenCalledWith(
        'shop',
        {
          ...config,
          processing: {
            ...config.processing,
            dataFreshnessHours: 24,
            trafficSourceRules: {
              categories: [],
              channels: [{ channel: 'Partners', medium: '^partner$' }],
            },
          },
        },
        4,
      ),
    );
    expect(onClose).toHaveBeenCalledWith(true);
  });

  it('switches an aws pipeline to MSK with pickers reading the account, and says what redeploys', async () => {
    const listed: Partial<Record<AccountResourceKind, any>> = {
      mskClusters: [
        {
          value: 'arn:aws:kafka:eu-west-1:123456789012:cluster/events/abc-1',
          label: 'events',
          description: 'provisioned, active',
        },
      ],
    };
    const api = mockClickstreamApi({
      listAccountResources: jest.fn(async (_p, kind: AccountResourceKind) => {
        if (kind === 'vpcs') throw new Error('ec2:DescribeVpcs is not allowed');
        return listed[kind] ?? [];
      }),
    });
    const { dialog } = await renderDialog(api, 'aws');

    // Kinesis on demand: its capacity and retention, no shard count.
    expect(
      within(dialog).getByRole('button', { name: /^Capacity/ }),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Retention (hours)')).toHaveValue(24);
    expect(within(dialog).queryByLabelText('Shards')).not.toBeInTheDocument();
    choose(dialog, 'Capacity', 'Provisioned');
    expect(within(dialog).getByLabelText('Shards')).toHaveValue(2);

    choose(dialog, 'Sink', 'Amazon MSK (an existing cluster)');
    expect(
      within(dialog).getAllByText(/sink.clusterArn is required for msk/).length,
    ).toBeGreaterThan(0);
    // The kinesis options are gone with the kinesis sink.
    expect(within(dialog).queryByLabelText('Shards')).not.toBeInTheDocument();
    expect(
      within(dialog).queryByRole('button', { name: /^Capacity/ }),
    ).not.toBeInTheDocument();

    const cluster = within(dialog).getByLabelText('MSK cluster');
    fireEvent.change(cluster, { target: { value: 'ev' } });
    fireEvent.click(await screen.findByText('events'));
    expect(cluster).toHaveValue(
      'arn:aws:kafka:eu-west-1:123456789012:cluster/events/abc-1',
    );
    fireEvent.change(within(dialog).getByLabelText('Topic'), {
      target: { value: 'clickstream' },
    });
    // A rule of the target: MSK needs the cluster's VPC.
    expect(
      within(dialog).getByText(
        "ingestion.vpc.vpcId is required with the msk sink: the collector runs in the MSK cluster's VPC to reach its brokers",
      ),
    ).toBeInTheDocument();

    fireEvent.click(within(dialog).getByLabelText('Run in an existing VPC'));
    const vpc = within(dialog).getByLabelText('VPC');
    // The VPCs could not be listed: the field says so, and the id can be typed.
    expect(
      await within(dialog).findByText(
        "The account's list could not be read (ec2:DescribeVpcs is not allowed); type the value.",
      ),
    ).toBeInTheDocument();
    fireEvent.change(vpc, { target: { value: 'vpc-0123456789abcdef0' } });

    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(
      within(dialog).getByLabelText('What the change redeploys'),
    ).toHaveTextContent(
      'The next update redeploys the stacks of Ingestion, Buffer, Processing, Modeling, Reporting.',
    );
    expect(api.listAccountResources).toHaveBeenCalledWith(
      'shop',
      'mskClusters',
    );
    expect(api.listAccountResources).toHaveBeenCalledWith('shop', 'vpcs');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.updatePipelineConfig).toHaveBeenCalled());
    const [, sent] = api.updatePipelineConfig.mock.calls[0];
    expect(sent.ingestion).toMatchObject({
      sink: {
        type: 'msk',
        clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/events/abc-1',
        topic: 'clickstream',
      },
      vpc: { vpcId: 'vpc-0123456789abcdef0' },
    });
  });

  it('keeps what is typed when the page reloads the pipeline meanwhile', async () => {
    const api = mockClickstreamApi();
    const props = {
      target: 'local' as const,
      open: true,
      onClose: jest.fn(),
    };
    const { rerender } = await renderInTestApp(
      <TestApiProvider apis={[[clickstreamApiRef, api]]}>
        <EditPipelineDialog
          {...props}
          pipeline={pipeline({ config: defaultPipelineConfig('local') })}
        />
      </TestApiProvider>,
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Data freshness (hours)'), {
      target: { value: '48' },
    });
    // The page polls: the same pipeline comes back as a new object, its status moved on.
    rerender(
      <TestApiProvider apis={[[clickstreamApiRef, api]]}>
        <EditPipelineDialog
          {...props}
          pipeline={pipeline({
            config: defaultPipelineConfig('local'),
            status: 'Updating',
          })}
        />
      </TestApiProvider>,
    );
    expect(
      within(screen.getByRole('dialog')).getByLabelText(
        'Data freshness (hours)',
      ),
    ).toHaveValue(48);
  });

  it('keeps the JSON view and the form on the same draft', async () => {
    const api = mockClickstreamApi();
    const { dialog } = await renderDialog(api, 'local');
    fireEvent.change(within(dialog).getByLabelText('Keep data for (days)'), {
      target: { value: '30' },
    });
    fireEvent.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    const editor = within(dialog).getByLabelText('Configuration (JSON)');
    expect(JSON.parse((editor as HTMLTextAreaElement).value)).toMatchObject({
      modeling: { dataRetentionDays: 30 },
    });
    const edited = JSON.parse((editor as HTMLTextAreaElement).value);
    edited.processing.enrichments.ipGeo = false;
    fireEvent.change(editor, { target: { value: JSON.stringify(edited) } });
    fireEvent.click(within(dialog).getByRole('tab', { name: 'Form' }));
    expect(
      within(dialog).getByLabelText('Location from the IP address'),
    ).not.toBeChecked();
    expect(within(dialog).getByLabelText('Keep data for (days)')).toHaveValue(
      30,
    );
  });
});
