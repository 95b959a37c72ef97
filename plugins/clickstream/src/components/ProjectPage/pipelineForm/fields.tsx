import { useApi } from '@backstage/core-plugin-api';
import {
  AccountResource,
  AccountResourceKind,
} from '@clickstream/backstage-plugin-clickstream-common';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField, { TextFieldProps } from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  createContext,
  ReactNode,
  useContext,
  useEffect,
  useState,
} from 'react';
import useAsync from 'react-use/esm/useAsync';
import { clickstreamApiRef } from '../../../api';
import { Draft, DraftProblem, getIn, problemsAt } from './draft';

/** What every field of the form reads and writes. */
export interface DraftState {
  draft: Draft;
  set(path: string, value: unknown): void;
  problems: DraftProblem[];
  projectId: string;
}

export const DraftContext = createContext<DraftState | undefined>(undefined);

function useField(path: string) {
  const state = useContext(DraftContext);
  if (!state) throw new Error('a pipeline field is used outside its form');
  const problems = problemsAt(state.problems, path);
  return {
    value: getIn(state.draft, path),
    set: (value: unknown) => state.set(path, value),
    error: problems.length > 0,
    // The schema's words beside the field; the help text when nothing is wrong.
    helperText: (help?: ReactNode) =>
      problems.length > 0 ? problems.join('; ') : help,
    projectId: state.projectId,
  };
}

const inputId = (path: string) => `pipeline-${path.replace(/\./g, '-')}`;

interface FieldProps {
  path: string;
  label: string;
  help?: ReactNode;
}

export function TextInput(props: FieldProps & { placeholder?: string }) {
  const field = useField(props.path);
  return (
    <TextField
      id={inputId(props.path)}
      label={props.label}
      value={(field.value as string | undefined) ?? ''}
      // An emptied optional field is left out, so its default applies.
      onChange={e =>
        field.set(e.target.value === '' ? undefined : e.target.value)
      }
      placeholder={props.placeholder}
      error={field.error}
      helperText={field.helperText(props.help)}
      fullWidth
      margin="dense"
    />
  );
}

/** A number; text that is not one is kept, so the schema can say what is wrong with it. */
export function NumberInput(props: FieldProps) {
  const field = useField(props.path);
  const value = field.value;
  return (
    <TextField
      id={inputId(props.path)}
      label={props.label}
      type="number"
      value={value === undefined || value === null ? '' : String(value)}
      onChange={e => {
        const text = e.target.value;
        const n = Number(text);
        if (text === '') field.set(undefined);
        else field.set(Number.isFinite(n) ? n : text);
      }}
      error={field.error}
      helperText={field.helperText(props.help)}
      margin="dense"
    />
  );
}

export function SwitchInput(props: FieldProps) {
  const field = useField(props.path);
  return (
    <FormControlLabel
      control={
        <Switch
          id={inputId(props.path)}
          color="primary"
          checked={field.value === true}
          onChange={e => field.set(e.target.checked)}
        />
      }
      label={props.label}
    />
  );
}

/**
 * A list of texts typed as one text, one per line or comma-separated. The text typed is kept
 * as typed (a new line or a trailing comma stays); the list written leaves out empty items.
 */
export function ListTextField(
  props: Omit<TextFieldProps, 'value' | 'onChange'> & {
    list: string[];
    onList: (list: string[]) => void;
    separator: 'lines' | 'commas';
  },
) {
  const { list, onList, separator, ...rest } = props;
  const joiner = separator === 'lines' ? '\n' : ', ';
  const split = (text: string) =>
    text
      .split(separator === 'lines' ? '\n' : ',')
      .map(item => item.trim())
      .filter(Boolean);
  const [text, setText] = useState(list.join(joiner));
  const listKey = list.join('\u0000');
  // Follow changes made elsewhere (the JSON tab, a removed row).
  useEffect(() => {
    setText(current =>
      split(current).join('\u0000') === listKey ? current : list.join(joiner),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [listKey]);
  return (
    <TextField
      {...rest}
      value={text}
      onChange={e => {
        setText(e.target.value);
        onList(split(e.target.value));
      }}
      inputProps={{ spellCheck: false }}
    />
  );
}

/** A list of texts edited as one per line (CORS origins, say). */
export function LinesInput(props: FieldProps) {
  const field = useField(props.path);
  return (
    <ListTextField
      id={inputId(props.path)}
      label={props.label}
      list={Array.isArray(field.value) ? (field.value as string[]) : []}
      onList={field.set}
      separator="lines"
      multiline
      minRows={2}
      error={field.error}
      helperText={field.helperText(props.help)}
      fullWidth
      margin="dense"
    />
  );
}

export function SelectInput(
  props: FieldProps & {
    options: Array<{ value: string; label: string }>;
    /** Replaces the whole object the field is in (a sink or warehouse of another type). */
    onSelect?: (value: string) => void;
  },
) {
  const field = useField(props.path);
  return (
    <TextField
      id={inputId(props.path)}
      select
      label={props.label}
      value={(field.value as string | undefined) ?? ''}
      onChange={e =>
        props.onSelect
          ? props.onSelect(e.target.value)
          : field.set(e.target.value)
      }
      error={field.error}
      helperText={field.helperText(props.help)}
      fullWidth
      margin="dense"
    >
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * A value picked from what the project's account has (read through the backend with its AWS
 * credentials), or typed: the list may be unreadable, or the resource not made yet.
 */
export function ResourceInput(
  props: FieldProps & { kind: AccountResourceKind },
) {
  const field = useField(props.path);
  const api = useApi(clickstreamApiRef);
  const resources = useAsync(
    () => api.listAccountResources(field.projectId, props.kind),
    [api, field.projectId, props.kind],
  );
  const options: AccountResource[] = resources.value ?? [];
  const value = (field.value as string | undefined) ?? '';
  // Said whatever else the field says: without the list, the value must be typed.
  const unreadable = resources.error && (
    <span style={{ display: 'block' }}>
      The account&apos;s list could not be read ({resources.error.message});
      type the value.
    </span>
  );
  return (
    <Autocomplete<AccountResource | string, false, false, true>
      freeSolo
      options={options}
      loading={resources.loading}
      value={options.find(o => o.value === value) ?? value}
      getOptionLabel={o => (typeof o === 'string' ? o : o.value)}
      renderOption={o =>
        typeof o === 'string' ? (
          o
        ) : (
          <span>
            {o.label}
            {o.description && (
              <>
                <br />
                <small>{o.description}</small>
              </>
            )}
          </span>
        )
      }
      onInputChange={(_e, text, reason) => {
        if (reason !== 'reset') field.set(text === '' ? undefined : text);
      }}
      onChange={(_e, picked) => {
        const v = typeof picked === 'string' ? picked : picked?.value;
        field.set(v ? v : undefined);
      }}
      renderInput={params => (
        <TextField
          {...params}
          id={inputId(props.path)}
          label={props.label}
          error={field.error}
          helperText={
            <>
              {field.helperText(props.help)}
              {unreadable}
            </>
          }
          margin="dense"
        />
      )}
    />
  );
}
