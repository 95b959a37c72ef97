import { useApi } from '@backstage/core-plugin-api';
import {
  App,
  AppPlatform,
  UpdateAppRequest,
  updateAppRequestSchema,
} from '@clickstream/backstage-plugin-clickstream-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { clickstreamApiRef } from '../../api';
import { PlatformsField } from './PlatformsField';
import { originsOf, problemsOf, useDialogRequest, useOnOpen } from './forms';

interface Draft {
  name: string;
  description: string;
  platforms: AppPlatform[];
  timezone: string;
  corsOrigins: string;
  enabled: boolean;
}

const draftOf = (app: App): Draft => ({
  name: app.name,
  description: app.description,
  platforms: app.platforms,
  timezone: app.timezone ?? '',
  corsOrigins: app.corsOrigins.join('\n'),
  enabled: app.enabled,
});

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * The request for what changed, and only that, conditional on the version the form was
 * opened with (someone else's change in between answers 409 rather than being overwritten).
 */
export function appChangesOf(app: App, draft: Draft): UpdateAppRequest {
  const request: UpdateAppRequest = { version: app.version };
  if (draft.name.trim() !== app.name) request.name = draft.name.trim();
  if (draft.description.trim() !== app.description) {
    request.description = draft.description.trim();
  }
  if (!sameList(draft.platforms, app.platforms)) {
    request.platforms = draft.platforms;
  }
  // The time zone can be set once: it fixes the app's day boundaries in every report.
  if (app.timezone === null && draft.timezone.trim()) {
    request.timezone = draft.timezone.trim();
  }
  const origins = originsOf(draft.corsOrigins);
  if (!sameList(origins, app.corsOrigins)) request.corsOrigins = origins;
  if (draft.enabled !== app.enabled) request.enabled = draft.enabled;
  return request;
}

/** Changes a registered app: its name, platforms, allowed web origins, and whether it collects. */
export function EditAppDialog(props: {
  app: App;
  open: boolean;
  /** With the app as saved (its new version), or nothing when cancelled. */
  onClose: (saved: App | undefined) => void;
}) {
  const { app, open, onClose } = props;
  const api = useApi(clickstreamApiRef);
  const [draft, setDraft] = useState<Draft>(() => draftOf(app));

  // Each opening starts from the app as it is now.
  useOnOpen(open, () => setDraft(draftOf(app)));

  const request = appChangesOf(app, draft);
  const problems = problemsOf(updateAppRequestSchema, request);
  const unchanged = Object.keys(request).length === 1;
  const set = (change: Partial<Draft>) => setDraft({ ...draft, ...change });
  const save = useDialogRequest({
    open,
    send: () => api.updateApp(app.projectId, app.appId, request),
    success: () => `App ${app.appId} saved`,
    done: onClose,
  });

  return (
    <Dialog
      open={open}
      onClose={() => onClose(undefined)}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle>Edit app {app.appId}</DialogTitle>
      <DialogContent>
        <TextField
          id="clickstream-edit-app-name"
          label="Name"
          value={draft.name}
          onChange={e => set({ name: e.target.value })}
          fullWidth
          margin="dense"
          required
          error={!!problems.name}
          helperText={problems.name}
        />
        <TextField
          id="clickstream-edit-app-description"
          label="Description"
          value={draft.description}
          onChange={e => set({ description: e.target.value })}
          fullWidth
          margin="dense"
          error={!!problems.description}
          helperText={problems.description}
        />
        <PlatformsField
          value={draft.platforms}
          onChange={platforms => set({ platforms })}
          problem={problems.platforms}
        />
        <TextField
          id="clickstream-edit-app-timezone"
          label="Time zone"
          value={draft.timezone}
          onChange={e => set({ timezone: e.target.value })}
          fullWidth
          margin="dense"
          disabled={app.timezone !== null}
          error={!!problems.timezone}
          helperText={
            problems.timezone ??
            (app.timezone !== null
              ? 'Set once: it fixes where days start in every report'
              : 'Days in reports start at midnight here; it cannot change later')
          }
        />
        <TextField
          id="clickstream-edit-app-origins"
          label="Allowed web origins"
          value={draft.corsOrigins}
          onChange={e => set({ corsOrigins: e.target.value })}
          fullWidth
          margin="dense"
          multiline
          error={!!problems.corsOrigins}
          helperText={
            problems.corsOrigins ??
            'Sites whose pages may send events, like https://shop.example.com (one per line)'
          }
        />
        <FormControlLabel
          control={
            <Switch
              checked={draft.enabled}
              onChange={e => set({ enabled: e.target.checked })}
              color="primary"
            />
          }
          label={
            draft.enabled
              ? 'Enabled: the collector accepts its events'
              : 'Disabled: the collector refuses its events'
          }
        />
        {save.error && (
          <FormHelperText error role="alert">
            {save.error}
          </FormHelperText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={() => onClose(undefined)}>Cancel</Button>
        <Button
          color="primary"
          onClick={save.submit}
          disabled={
            save.pending || unchanged || Object.keys(problems).length > 0
          }
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
