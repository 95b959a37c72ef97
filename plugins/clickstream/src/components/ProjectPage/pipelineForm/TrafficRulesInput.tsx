import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import DeleteIcon from '@material-ui/icons/Delete';
import { useContext } from 'react';
import { getIn, problemsAt } from './draft';
import { DraftContext, ListTextField } from './fields';

type Rule = Record<string, unknown>;

/** The fields a channel rule can test, in the words of the traffic source it reads. */
const CONDITION_FIELDS: Array<[string, string]> = [
  ['source', 'source'],
  ['medium', 'medium'],
  ['campaign', 'campaign'],
  ['content', 'content'],
  ['term', 'term'],
  ['campaignId', 'campaign id'],
  ['clidPlatform', 'click id platform'],
  ['clid', 'click id'],
  ['category', 'source category'],
  ['referrer', 'referrer'],
  ['referrerHost', 'referrer host'],
];

/** What the schema says about one row, under it. */
function RowProblems({ messages }: { messages: string[] }) {
  return (
    <>
      {messages.map(m => (
        <Typography key={m} variant="caption" color="error" component="p">
          {m}
        </Typography>
      ))}
    </>
  );
}

/** A list under a draft path, edited row by row. */
function useRules(path: string) {
  const state = useContext(DraftContext)!;
  const rules = (getIn(state.draft, path) as Rule[] | undefined) ?? [];
  const write = (next: Rule[]) => state.set(path, next);
  return {
    rules,
    problems: (index: number) => problemsAt(state.problems, `${path}.${index}`),
    update: (index: number, rule: Rule) =>
      write(rules.map((r, i) => (i === index ? rule : r))),
    remove: (index: number) => write(rules.filter((_, i) => i !== index)),
    moveUp: (index: number) =>
      write(
        rules.map((r, i) => {
          if (i === index - 1) return rules[index];
          if (i === index) return rules[index - 1];
          return r;
        }),
      ),
    add: (rule: Rule) => write([...rules, rule]),
  };
}

const without = (rule: Rule, key: string) =>
  Object.fromEntries(Object.entries(rule).filter(([k]) => k !== key));

/**
 * The project's channel rules: tried in order before the built-in ones, the first whose
 * patterns (RE2 syntax) all match names the visit's channel.
 */
export function ChannelRulesInput() {
  const { rules, problems, update, remove, moveUp, add } = useRules(
    'processing.trafficSourceRules.channels',
  );
  return (
    <Box>
      <Typography variant="subtitle2">Channel rules</Typography>
      <Typography variant="body2" color="textSecondary">
        Tried in order before the built-in rules; the first rule whose patterns
        all match names the channel. Patterns are regular expressions in RE2
        syntax, matched in linear time.
      </Typography>
      {rules.map((rule, index) => {
        const conditions = CONDITION_FIELDS.filter(([key]) => key in rule);
        const unused = CONDITION_FIELDS.filter(([key]) => !(key in rule));
        const messages = problems(index);
        return (
          <Box
            key={index}
            mt={1}
            p={1}
            border={1}
            borderColor={messages.length ? 'error.main' : 'divider'}
            borderRadius={4}
            role="group"
            aria-label={`Channel rule ${index + 1}`}
          >
            <Box display="flex" alignItems="center" style={{ gap: 8 }}>
              <TextField
                id={`channel-rule-${index}-channel`}
                label="Channel"
                value={(rule.channel as string) ?? ''}
                onChange={e =>
                  update(index, { ...rule, channel: e.target.value })
                }
                margin="dense"
              />
              <IconButton
                aria-label={`Move channel rule ${index + 1} up`}
                disabled={index === 0}
                onClick={() => moveUp(index)}
                size="small"
              >
                <ArrowUpwardIcon fontSize="small" />
              </IconButton>
              <IconButton
                aria-label={`Remove channel rule ${index + 1}`}
                onClick={() => remove(index)}
                size="small"
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Box>
            {conditions.map(([key, label]) => (
              <Box
                key={key}
                display="flex"
                alignItems="center"
                style={{ gap: 8 }}
              >
                <TextField
                  id={`channel-rule-${index}-${key}`}
                  label={`${label} matches`}
                  value={(rule[key] as string) ?? ''}
                  onChange={e =>
                    update(index, { ...rule, [key]: e.target.value })
                  }
                  margin="dense"
                  fullWidth
                  inputProps={{ spellCheck: false }}
                />
                <IconButton
                  aria-label={`Remove the ${label} condition of rule ${
                    index + 1
                  }`}
                  onClick={() => update(index, without(rule, key))}
                  size="small"
                >
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </Box>
            ))}
            {unused.length > 0 && (
              <TextField
                id={`channel-rule-${index}-add`}
                select
                label="Add a condition"
                value=""
                onChange={e => update(index, { ...rule, [e.target.value]: '' })}
                margin="dense"
                style={{ minWidth: 200 }}
              >
                {unused.map(([key, label]) => (
                  <MenuItem key={key} value={key}>
                    {label}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <RowProblems messages={messages} />
          </Box>
        );
      })}
      <Button
        size="small"
        onClick={() => add({ channel: '', medium: '' })}
        style={{ marginTop: 8 }}
      >
        Add a channel rule
      </Button>
    </Box>
  );
}

/**
 * The project's source categories: a referrer's host (or host and path) named as a source in
 * a category, tried before the built-in table.
 */
export function CategoryRulesInput() {
  const { rules, problems, update, remove, add } = useRules(
    'processing.trafficSourceRules.categories',
  );
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">Source categories</Typography>
      <Typography variant="body2" color="textSecondary">
        A referrer&apos;s host (or host and path, like bing.com/images) named as
        a source in a category (Search, Social, Video, Shopping, ...), tried
        before the built-in table.
      </Typography>
      {rules.map((rule, index) => {
        const messages = problems(index);
        const params = (rule.params as string[] | undefined) ?? [];
        return (
          <Box
            key={index}
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            style={{ gap: 8 }}
            role="group"
            aria-label={`Source category ${index + 1}`}
          >
            <TextField
              id={`source-category-${index}-domain`}
              label="Domain"
              value={(rule.domain as string) ?? ''}
              onChange={e => update(index, { ...rule, domain: e.target.value })}
              margin="dense"
            />
            <TextField
              id={`source-category-${index}-source`}
              label="Source"
              value={(rule.source as string) ?? ''}
              onChange={e => update(index, { ...rule, source: e.target.value })}
              margin="dense"
            />
            <TextField
              id={`source-category-${index}-category`}
              label="Category"
              value={(rule.category as string) ?? ''}
              onChange={e =>
                update(index, { ...rule, category: e.target.value })
              }
              margin="dense"
            />
            <ListTextField
              id={`source-category-${index}-params`}
              label="Search term parameters"
              placeholder="q, query"
              list={params}
              onList={list =>
                update(
                  index,
                  list.length
                    ? { ...rule, params: list }
                    : without(rule, 'params'),
                )
              }
              separator="commas"
              margin="dense"
            />
            <IconButton
              aria-label={`Remove source category ${index + 1}`}
              onClick={() => remove(index)}
              size="small"
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
            <RowProblems messages={messages} />
          </Box>
        );
      })}
      <Button
        size="small"
        onClick={() => add({ domain: '', source: '', category: 'Search' })}
        style={{ marginTop: 8 }}
      >
        Add a source category
      </Button>
    </Box>
  );
}
