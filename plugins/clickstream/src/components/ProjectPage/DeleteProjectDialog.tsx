import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  isPipelineBusy,
  isPipelineDeployed,
  Pipeline,
  Project,
} from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormHelperText from '@material-ui/core/FormHelperText';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import { useEffect, useRef, useState } from 'react';
import { clickstreamApiRef } from '../../api';
import { messageOf } from './forms';

/** What goes with the pipeline, in the words of the pipeline card's own delete. */
function pipelineDataOf(project: Project) {
  return project.target.type === 'aws'
    ? 'its stacks are deleted: the collector stops accepting events, and the data in its buffer and warehouse is removed'
    : 'the collector stops accepting events, and its buffer and DuckDB warehouse, with every event collected, are removed';
}

/**
 * Deletes a project for good, once its id is typed. A deployed pipeline is deleted first and
 * waited for (the API refuses to delete a project whose pipeline still runs); closing the
 * dialog while that runs leaves the pipeline deleting and the project in place.
 */
export function DeleteProjectDialog(props: {
  project: Project;
  pipeline: Pipeline;
  appCount: number;
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
  /** How often to look at the pipeline while it is deleted. */
  pollMs?: number;
}) {
  const { project, pipeline, appCount, open, onClose, onDeleted } = props;
  const pollMs = props.pollMs ?? 2_000;
  const api = useApi(clickstreamApiRef);
  const alertApi = useApi(alertApiRef);
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<string>();
  const [error, setError] = useState<string>();
  const closed = useRef(false);

  useEffect(() => {
    closed.current = !open;
    if (open) {
      setTyped('');
      setError(undefined);
      setProgress(undefined);
    }
  }, [open]);
  useEffect(
    () => () => {
      closed.current = true;
    },
    [],
  );

  const deployed = isPipelineDeployed(pipeline.status);
  const busy = isPipelineBusy(pipeline.status);

  async function waitForPipelineDeleted() {
    for (;;) {
      await new Promise(resolve => setTimeout(resolve, pollMs));
      if (closed.current) return false;
      const current = await api.getPipeline(project.id);
      if (current.status === 'Deleted' || current.status === 'NotDeployed') {
        return true;
      }
      if (current.status === 'Failed') {
        throw new Error(
          `the pipeline could not be deleted: ${
            current.lastError ?? 'see its status card'
          }. Retry it from the pipeline card, then delete the project.`,
        );
      }
      setProgress(`Deleting the pipeline (${current.status})...`);
    }
  }

  async function remove() {
    setError(undefined);
    try {
      if (deployed) {
        setProgress('Deleting the pipeline...');
        await api.deletePipeline(project.id);
        if (!(await waitForPipelineDeleted())) return;
      }
      setProgress('Deleting the project...');
      await api.deleteProject(project.id);
      alertApi.post({
        message: `Project ${project.id} deleted`,
        severity: 'success',
        display: 'transient',
      });
      onDeleted();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setProgress(undefined);
    }
  }

  const working = progress !== undefined;
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Delete project {project.id}?</DialogTitle>
      <DialogContent>
        <DialogContentText>
          The project, its {appCount === 1 ? 'app' : `${appCount} apps`} and its
          pipeline's history are deleted.{' '}
          {deployed
            ? `Its pipeline is deleted first: ${pipelineDataOf(project)}.`
            : 'Its pipeline is not deployed, so no collected data remains.'}{' '}
          This cannot be undone.
        </DialogContentText>
        {busy && !working && (
          <FormHelperText error>
            The pipeline is {pipeline.status.toLocaleLowerCase('en-US')}: wait
            until that finishes.
          </FormHelperText>
        )}
        <TextField
          id="clickstream-delete-project-id"
          label={`Type ${project.id} to confirm`}
          value={typed}
          onChange={e => setTyped(e.target.value)}
          fullWidth
          margin="dense"
          autoComplete="off"
          disabled={working}
        />
        {working && (
          <>
            <LinearProgress />
            <FormHelperText>{progress}</FormHelperText>
          </>
        )}
        {error && (
          <FormHelperText error role="alert">
            {error}
          </FormHelperText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{working ? 'Close' : 'Cancel'}</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={remove}
          disabled={typed !== project.id || busy || working}
        >
          Delete project
        </Button>
      </DialogActions>
    </Dialog>
  );
}
