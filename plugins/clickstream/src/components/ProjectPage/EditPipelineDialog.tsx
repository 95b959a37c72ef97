import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Pipeline,
  pipelineConfigIssues,
  pipelineConfigSchema,
  ProjectTargetType,
  validationMessages,
} from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { clickstreamApiRef } from '../../api';

/** What is wrong with a configuration text, in the API's words; empty when it is valid. */
export function configProblems(
  text: string,
  target: ProjectTargetType,
): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return [`the configuration is not valid JSON: ${(e as Error).message}`];
  }
  const result = pipelineConfigSchema.safeParse(value);
  if (!result.success) return validationMessages(result.error);
  return pipelineConfigIssues(result.data, target);
}

/**
 * Edits a pipeline's configuration as JSON, checked with the API's schema while typing and
 * saved only if nobody changed it since it was read.
 */
export function EditPipelineDialog(props: {
  pipeline: Pipeline;
  target: ProjectTargetType;
  open: boolean;
  onClose: (saved: boolean) => void;
}) {
  const { pipeline, target, open, onClose } = props;
  const api = useApi(clickstreamApiRef);
  const alertApi = useApi(alertApiRef);
  const [text, setText] = useState('');
  const [serverError, setServerError] = useState<string>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) {
      setText(JSON.stringify(pipeline.config, null, 2));
      setServerError(undefined);
    }
  }, [open, pipeline.config]);

  const problems = configProblems(text, target);
  const deployed = !['NotDeployed', 'Deleted'].includes(pipeline.status);

  async function save() {
    setSaving(true);
    setServerError(undefined);
    try {
      await api.updatePipelineConfig(
        pipeline.projectId,
        JSON.parse(text),
        pipeline.version,
      );
      alertApi.post({
        message: deployed
          ? 'Configuration saved: Update the pipeline to apply it'
          : 'Configuration saved',
        severity: 'success',
        display: 'transient',
      });
      onClose(true);
    } catch (e: any) {
      setServerError(e?.body?.error?.message ?? String(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog open={open} onClose={() => onClose(false)} fullWidth maxWidth="md">
      <DialogTitle>Pipeline configuration of {pipeline.projectId}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Left-out fields take their defaults. The API reference lists every
          field; a deployed pipeline applies changes on its next update.
        </DialogContentText>
        <TextField
          id="clickstream-pipeline-config"
          label="Configuration (JSON)"
          value={text}
          onChange={e => setText(e.target.value)}
          multiline
          minRows={16}
          maxRows={28}
          fullWidth
          variant="outlined"
          inputProps={{ spellCheck: false, style: { fontFamily: 'monospace' } }}
          error={problems.length > 0}
        />
        {problems.map(problem => (
          <Typography key={problem} color="error" variant="body2" role="alert">
            {problem}
          </Typography>
        ))}
        {serverError && (
          <Typography color="error" variant="body2" role="alert">
            {serverError}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>Cancel</Button>
        <Button
          color="primary"
          onClick={save}
          disabled={saving || problems.length > 0}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
