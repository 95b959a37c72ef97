import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Pipeline,
  pipelineChanges,
  ProjectTargetType,
} from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { clickstreamApiRef } from '../../api';
import { useOnOpen } from './forms';
import { Draft, draftProblems, parseDraft, setIn } from './pipelineForm/draft';
import { DraftContext } from './pipelineForm/fields';
import { PipelineForm } from './pipelineForm/PipelineForm';

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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['the configuration must be a JSON object'];
  }
  return draftProblems(value as Draft, target).map(p => p.message);
}

const MODULE_NAMES: Record<string, string> = {
  ingestion: 'Ingestion',
  buffer: 'Buffer',
  processing: 'Processing',
  modeling: 'Modeling',
  reporting: 'Reporting',
};

/**
 * Edits a pipeline's configuration: a guided form with one section per module (or its JSON),
 * checked with the API's schema while typing, saying what an update will redeploy, and saved
 * only if nobody changed it since it was read.
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
  const [draft, setDraft] = useState<Draft>({});
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [text, setText] = useState('');
  const [serverError, setServerError] = useState<string>();
  const [saving, setSaving] = useState(false);

  useOnOpen(open, () => {
    setDraft(pipeline.config as unknown as Draft);
    setTab('form');
    setServerError(undefined);
  });

  const jsonProblems = tab === 'json' ? configProblems(text, target) : [];
  const problems = useMemo(() => draftProblems(draft, target), [draft, target]);
  const shown = tab === 'json' ? jsonProblems : problems.map(p => p.message);
  const parsed = tab === 'json' ? undefined : parseDraft(draft);
  const changes = parsed ? pipelineChanges(pipeline.config, parsed) : undefined;
  const deployed = !['NotDeployed', 'Deleted'].includes(pipeline.status);

  function switchTab(next: 'form' | 'json') {
    if (next === 'json') {
      setText(JSON.stringify(draft, null, 2));
    } else {
      // Only text that is a JSON object goes back to the form; anything else stays to be fixed.
      try {
        const value = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          return;
        setDraft(value);
      } catch {
        return;
      }
    }
    setTab(next);
  }

  async function save() {
    setSaving(true);
    setServerError(undefined);
    try {
      await api.updatePipelineConfig(
        pipeline.projectId,
        tab === 'json' ? JSON.parse(text) : draft,
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

  const unchanged = tab === 'form' && changes?.fields.length === 0;
  return (
    <Dialog open={open} onClose={() => onClose(false)} fullWidth maxWidth="md">
      <DialogTitle>Pipeline configuration of {pipeline.projectId}</DialogTitle>
      <Tabs
        value={tab}
        onChange={(_e, next) => switchTab(next)}
        indicatorColor="primary"
        style={{ paddingLeft: 24 }}
      >
        <Tab value="form" label="Form" />
        <Tab value="json" label="JSON" />
      </Tabs>
      <DialogContent dividers>
        {tab === 'form' ? (
          <DraftContext.Provider
            value={{
              draft,
              set: (path, value) => setDraft(d => setIn(d, path, value)),
              problems,
              projectId: pipeline.projectId,
            }}
          >
            <PipelineForm target={target} />
          </DraftContext.Provider>
        ) : (
          <>
            <DialogContentText>
              Left-out fields take their defaults; the API reference lists every
              field.
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
              inputProps={{
                spellCheck: false,
                style: { fontFamily: 'monospace' },
              }}
              error={jsonProblems.length > 0}
            />
          </>
        )}
      </DialogContent>
      <DialogContent>
        {shown.length > 0 && (
          <Typography
            variant="body2"
            color="error"
            component="div"
            role="alert"
          >
            {shown.length === 1
              ? 'One problem to fix before saving:'
              : `${shown.length} problems to fix before saving:`}
            <ul style={{ margin: 0 }}>
              {shown.map(problem => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </Typography>
        )}
        {changes && changes.fields.length > 0 && (
          <Typography variant="body2" aria-label="What the change redeploys">
            Changed: {changes.fields.join(', ')}.{' '}
            {!deployed && 'It takes effect when the pipeline is deployed.'}
            {deployed &&
              target === 'aws' &&
              `The next update redeploys the stacks of ${changes.modules
                .map(m => MODULE_NAMES[m])
                .join(', ')}.`}
            {deployed &&
              target !== 'aws' &&
              'The next update restarts the collector and processing with it.'}
          </Typography>
        )}
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
          disabled={saving || shown.length > 0 || unchanged}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
