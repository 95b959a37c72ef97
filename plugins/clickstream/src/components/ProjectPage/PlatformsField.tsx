import {
  APP_PLATFORMS,
  AppPlatform,
} from '@clickstream/backstage-plugin-clickstream-common';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';

/** The platforms an app sends from, one checkbox each, with the API's complaint below. */
export function PlatformsField(props: {
  value: AppPlatform[];
  onChange: (platforms: AppPlatform[]) => void;
  problem?: string;
}) {
  const { value, onChange, problem } = props;
  return (
    <FormControl component="fieldset" margin="dense" error={!!problem}>
      <FormLabel component="legend">Platforms</FormLabel>
      <FormGroup row>
        {APP_PLATFORMS.map(platform => (
          <FormControlLabel
            key={platform}
            label={platform}
            control={
              <Checkbox
                checked={value.includes(platform)}
                onChange={e =>
                  onChange(
                    e.target.checked
                      ? [...value, platform]
                      : value.filter(p => p !== platform),
                  )
                }
              />
            }
          />
        ))}
      </FormGroup>
      {problem && <FormHelperText>{problem}</FormHelperText>}
    </FormControl>
  );
}
