import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  AppPlatform,
  createAppRequestSchema,
} from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { clickstreamApiRef } from '../../api';
import { PlatformsField } from './PlatformsField';
import { messageOf, originsOf, problemsOf } from './forms';

interface Draft {
  appId: string;
  name: string;
  platforms: AppPlatform[];
  timezone: string;
  corsOrigins: string;
}

const EMPTY: Draft = {
  appId: '',
  name: '',
  platforms: ['Web'],
  timezone: new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
  corsOrigins: '',
};

/** The request body a draft stands for. */
function requestOf(draft: Draft) {
  return {
    appId: draft.appId.trim(),
    name: draft.name.trim(),
    platforms: draft.platforms,
    timezone: draft.timezone.trim() || null,
    corsOrigins: originsOf(draft.corsOrigins),
  };
}

/** Registers an app in a project, validated by the same schema as the API. */
export function AddAppDialog(props: {
  projectId: string;
  open: boolean;
  onClose: (created: boolean) => void;
}) {
  const { projectId, open, onClose } = props;
  const api = useApi(clickstreamApiRef);
  const alertApi = useApi(alertApiRef);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const problems = submitted
    ? problemsOf(createAppRequestSchema, requestOf(draft))
    : {};
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const field = (name: keyof Draft) => ({
    error: !!problems[name],
    helperText: problems[name],
  });

  async function save() {
    setSubmitted(true);
    setServerError(undefined);
    if (
      Object.keys(problemsOf(createAppRequestSchema, requestOf(draft))).length >
      0
    )
      return;
    setSaving(true);
    try {
      const app = await api.createApp(projectId, requestOf(draft));
      alertApi.post({
        message: `App ${app.appId} registered`,
        severity: 'success',
        display: 'transient',
      });
      setDraft(EMPTY);
      setSubmitted(false);
      onClose(true);
    } catch (e) {
      setServerError(messageOf(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog open={open} onClose={() => onClose(false)} fullWidth maxWidth="sm">
      <DialogTitle>Register an app in {projectId}</DialogTitle>
      <DialogContent>
        <TextField
          id="clickstream-app-id"
          label="App id"
          value={draft.appId}
          onChange={e => set({ appId: e.target.value })}
          fullWidth
          margin="dense"
          required
          {...field('appId')}
          helperText={
            problems.appId ??
            'What the SDKs send as appId: letters, digits and underscores'
          }
        />
        <TextField
          id="clickstream-app-name"
          label="Name"
          value={draft.name}
          onChange={e => set({ name: e.target.value })}
          fullWidth
          margin="dense"
          required
          {...field('name')}
        />
        <PlatformsField
          value={draft.platforms}
          onChange={platforms => set({ platforms })}
          problem={problems.platforms}
        />
        <TextField
          id="clickstream-app-timezone"
          label="Time zone"
          value={draft.timezone}
          onChange={e => set({ timezone: e.target.value })}
          fullWidth
          margin="dense"
          {...field('timezone')}
          helperText={
            problems.timezone ??
            'Days in reports start at midnight here; it cannot change later'
          }
        />
        <TextField
          id="clickstream-app-origins"
          label="Allowed web origins"
          value={draft.corsOrigins}
          onChange={e => set({ corsOrigins: e.target.value })}
          fullWidth
          margin="dense"
          multiline
          {...field('corsOrigins')}
          helperText={
            problems.corsOrigins ??
            'Sites whose pages may send events, like https://shop.example.com (one per line)'
          }
        />
        {serverError && (
          <FormHelperText error role="alert">
            {serverError}
          </FormHelperText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(false)}>Cancel</Button>
        <Button color="primary" onClick={save} disabled={saving}>
          Register
        </Button>
      </DialogActions>
    </Dialog>
  );
}
