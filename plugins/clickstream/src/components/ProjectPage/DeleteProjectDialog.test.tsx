import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { clickstreamApiRef } from '../../api';
import { mockClickstreamApi, pipeline, project } from '../../testing/fixtures';
import { DeleteProjectDialog } from './DeleteProjectDialog';

async function renderDialog(
  api: ReturnType<typeof mockClickstreamApi>,
  onDeleted = jest.fn(),
  status: 'Active' | 'Updating' = 'Active',
) {
  await renderInTestApp(
    <TestApiProvider apis={[[clickstreamApiRef, api]]}>
      <DeleteProjectDialog
        project={project}
        pipeline={pipeline({ status })}
        appCount={2}
        open
        onClose={jest.fn()}
        onDeleted={onDeleted}
        pollMs={5}
      />
    </TestApiProvider>,
  );
  const dialog = await screen.findByRole('dialog');
  fireEvent.change(within(dialog).getByLabelText('Type shop to confirm'), {
    target: { value: 'shop' },
  });
  return dialog;
}

describe('<DeleteProjectDialog />', () => {
  it('deletes a deployed pipeline first, waits until it is deleted, then deletes the project', async () => {
    const statuses = ['Deleting', 'Deleting', 'Deleted'] as const;
    const api = mockClickstreamApi({
      getPipeline: jest.fn(async () =>
        pipeline({ status: statuses[api.getPipeline.mock.calls.length - 1] }),
      ),
    });
    const onDeleted = jest.fn();
    const dialog = await renderDialog(api, onDeleted);
    expect(dialog).toHaveTextContent(
      "The project, its 2 apps and its pipeline's history are deleted. Its pipeline is deleted first: the collector stops accepting events, and its buffer and DuckDB warehouse, with every event collected, are removed.",
    );

    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Delete project' }),
    );
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(api.deletePipeline).toHaveBeenCalledWith('shop');
    expect(api.getPipeline).toHaveBeenCalledTimes(3);
    expect(api.deleteProject).toHaveBeenCalledWith('shop');
    // The project goes only after its pipeline did.
    expect(api.deleteProject.mock.invocationCallOrder[0]).toBeGreaterThan(
      api.getPipeline.mock.invocationCallOrder[2],
    );
  });

  it('stops and says so when the pipeline cannot be deleted, keeping the project', async () => {
    const api = mockClickstreamApi({
      getPipeline: jest.fn(async () =>
        pipeline({ status: 'Failed', lastError: 'stack busy' }),
      ),
    });
    const onDeleted = jest.fn();
    const dialog = await renderDialog(api, onDeleted);
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Delete project' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'the pipeline could not be deleted: stack busy.',
    );
    expect(api.deleteProject).not.toHaveBeenCalled();
    expect(onDeleted).not.toHaveBeenCalled();
  });

  it('waits for an operation in progress before it deletes anything', async () => {
    const api = mockClickstreamApi();
    const dialog = await renderDialog(api, jest.fn(), 'Updating');
    expect(dialog).toHaveTextContent(
      'The pipeline is updating: wait until that finishes.',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Delete project' }),
    ).toBeDisabled();
  });
});
