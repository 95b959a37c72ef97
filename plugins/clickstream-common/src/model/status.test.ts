import {
  derivePipelineStatus,
  EXECUTION_STATES,
  ExecutionState,
  inferLastAction,
  PIPELINE_ACTIONS,
  PIPELINE_STATUSES,
  PipelineAction,
  PipelineStatusInput,
  StackState,
} from './status';

let stackCount = 0;
function stack(status: string, templateVersion?: string): StackState {
  stackCount += 1;
  return { name: `stack-${stackCount}`, status, templateVersion };
}

function stacksOf(...statuses: string[]): StackState[] {
  return statuses.map(status => stack(status));
}

describe('inferLastAction', () => {
  it.each(PIPELINE_ACTIONS)(
    'keeps a recorded %s whatever the stacks say',
    action => {
      expect(
        inferLastAction({
          lastAction: action,
          stacks: [stack('DELETE_IN_PROGRESS', 'v2')],
          templateVersion: 'v1',
        }),
      ).toBe(action);
    },
  );

  it.each<[string, PipelineStatusInput, PipelineAction]>([
    [
      'a stack on another template version',
      { stacks: [stack('CREATE_COMPLETE', 'v1')], templateVersion: 'v2' },
      'Upgrade',
    ],
    [
      'a version mismatch even when other stacks are updating or deleting',
      {
        stacks: [
          stack('UPDATE_COMPLETE', 'v2'),
          stack('DELETE_IN_PROGRESS', 'v2'),
          stack('CREATE_COMPLETE', 'v1'),
        ],
        templateVersion: 'v2',
      },
      'Upgrade',
    ],
    [
      'an UPDATE_* stack',
      { stacks: stacksOf('CREATE_COMPLETE', 'UPDATE_COMPLETE') },
      'Update',
    ],
    [
      'an UPDATE_* stack before a DELETE_* stack',
      { stacks: stacksOf('DELETE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE') },
      'Update',
    ],
    [
      'a DELETE_* stack',
      { stacks: stacksOf('CREATE_COMPLETE', 'DELETE_FAILED') },
      'Delete',
    ],
    ['only CREATE_* stacks', { stacks: stacksOf('CREATE_COMPLETE') }, 'Create'],
    ['no stacks', { stacks: [] }, 'Create'],
    [
      'matching versions',
      {
        stacks: [
          stack('CREATE_COMPLETE', 'v1'),
          stack('CREATE_COMPLETE', 'v1'),
        ],
        templateVersion: 'v1',
      },
      'Create',
    ],
    [
      'a stack version without a pipeline version',
      { stacks: [stack('CREATE_COMPLETE', 'v1')] },
      'Create',
    ],
    [
      'a pipeline version with stacks that have none',
      { stacks: stacksOf('UPDATE_COMPLETE'), templateVersion: 'v2' },
      'Update',
    ],
  ])('infers from %s', (_, input, expected) => {
    expect(inferLastAction(input)).toBe(expected);
  });
});

describe('derivePipelineStatus', () => {
  describe('never deployed', () => {
    it('is NotDeployed without last action, execution or stacks', () => {
      expect(derivePipelineStatus({ stacks: [] })).toBe('NotDeployed');
      expect(derivePipelineStatus({ stacks: [], templateVersion: 'v1' })).toBe(
        'NotDeployed',
      );
    });

    it.each<[string, PipelineStatusInput, string]>([
      ['a last action', { lastAction: 'Create', stacks: [] }, 'Active'],
      ['a running execution', { execution: 'RUNNING', stacks: [] }, 'Creating'],
      ['a failed execution', { execution: 'FAILED', stacks: [] }, 'Failed'],
      ['a stack', { stacks: stacksOf('CREATE_COMPLETE') }, 'Active'],
    ])('is deployed as soon as there is %s', (_, input, expected) => {
      expect(derivePipelineStatus(input)).toBe(expected);
    });
  });

  describe('failed execution', () => {
    it.each<ExecutionState>(['FAILED', 'TIMED_OUT', 'ABORTED'])(
      '%s gives Failed on create',
      execution => {
        expect(
          derivePipelineStatus({
            lastAction: 'Create',
            execution,
            stacks: stacksOf('CREATE_COMPLETE'),
          }),
        ).toBe('Failed');
      },
    );

    it.each<ExecutionState>(['FAILED', 'TIMED_OUT', 'ABORTED'])(
      '%s beats stacks still in progress',
      execution => {
        expect(
          derivePipelineStatus({
            lastAction: 'Create',
            execution,
            stacks: stacksOf('CREATE_COMPLETE', 'CREATE_IN_PROGRESS'),
          }),
        ).toBe('Failed');
      },
    );

    it('beats stacks that are all deleted', () => {
      expect(
        derivePipelineStatus({
          lastAction: 'Delete',
          execution: 'FAILED',
          stacks: stacksOf('DELETE_COMPLETE'),
        }),
      ).toBe('Failed');
    });

    it.each<[PipelineAction, string]>([
      ['Create', 'Failed'],
      ['Delete', 'Failed'],
      ['Update', 'Warning'],
      ['Upgrade', 'Warning'],
    ])('after %s gives %s', (lastAction, expected) => {
      expect(
        derivePipelineStatus({
          lastAction,
          execution: 'FAILED',
          stacks: stacksOf('CREATE_COMPLETE'),
        }),
      ).toBe(expected);
    });

    it('is a Warning when the inferred action is an update', () => {
      expect(
        derivePipelineStatus({
          execution: 'TIMED_OUT',
          stacks: stacksOf('UPDATE_COMPLETE'),
        }),
      ).toBe('Warning');
    });
  });

  describe('in progress', () => {
    it.each<[PipelineAction, string]>([
      ['Create', 'Creating'],
      ['Update', 'Updating'],
      ['Upgrade', 'Updating'],
      ['Delete', 'Deleting'],
    ])('a running execution after %s gives %s', (lastAction, expected) => {
      expect(
        derivePipelineStatus({
          lastAction,
          execution: 'RUNNING',
          stacks: stacksOf('CREATE_COMPLETE'),
        }),
      ).toBe(expected);
    });

    it.each<[PipelineAction, string]>([
      ['Create', 'Creating'],
      ['Update', 'Updating'],
      ['Upgrade', 'Updating'],
      ['Delete', 'Deleting'],
    ])(
      'a stack in progress after a successful %s run gives %s',
      (lastAction, expected) => {
        expect(
          derivePipelineStatus({
            lastAction,
            execution: 'SUCCEEDED',
            stacks: stacksOf('CREATE_COMPLETE', 'UPDATE_IN_PROGRESS'),
          }),
        ).toBe(expected);
      },
    );

    it.each([
      'CREATE_IN_PROGRESS',
      'UPDATE_IN_PROGRESS',
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'UPDATE_ROLLBACK_IN_PROGRESS',
      'ROLLBACK_IN_PROGRESS',
      'DELETE_IN_PROGRESS',
      'REVIEW_IN_PROGRESS',
    ])('%s counts as in progress', status => {
      expect(
        derivePipelineStatus({
          lastAction: 'Create',
          stacks: stacksOf(status),
        }),
      ).toBe('Creating');
    });

    it('beats stacks that failed or rolled back', () => {
      expect(
        derivePipelineStatus({
          lastAction: 'Create',
          stacks: stacksOf(
            'CREATE_FAILED',
            'UPDATE_ROLLBACK_COMPLETE',
            'CREATE_IN_PROGRESS',
          ),
        }),
      ).toBe('Creating');
    });

    it('a running execution beats failed stacks', () => {
      expect(
        derivePipelineStatus({
          lastAction: 'Create',
          execution: 'RUNNING',
          stacks: stacksOf('CREATE_FAILED'),
        }),
      ).toBe('Creating');
    });

    it('a running execution beats a version mismatch', () => {
      expect(
        derivePipelineStatus({
          execution: 'RUNNING',
          stacks: [stack('UPDATE_COMPLETE', 'v1')],
          templateVersion: 'v2',
        }),
      ).toBe('Updating');
    });

    it('uses the inferred action', () => {
      expect(
        derivePipelineStatus({ stacks: stacksOf('CREATE_IN_PROGRESS') }),
      ).toBe('Creating');
      expect(
        derivePipelineStatus({
          stacks: stacksOf('CREATE_COMPLETE', 'UPDATE_IN_PROGRESS'),
        }),
      ).toBe('Updating');
      expect(
        derivePipelineStatus({
          stacks: stacksOf('DELETE_COMPLETE', 'DELETE_IN_PROGRESS'),
        }),
      ).toBe('Deleting');
      expect(
        derivePipelineStatus({
          stacks: [stack('CREATE_IN_PROGRESS', 'v1')],
          templateVersion: 'v2',
        }),
      ).toBe('Updating');
    });

    it('a running execution with no stacks yet is creating', () => {
      expect(derivePipelineStatus({ execution: 'RUNNING', stacks: [] })).toBe(
        'Creating',
      );
    });

    it('COMPLETE statuses are not in progress', () => {
      expect(
        derivePipelineStatus({
          lastAction: 'Update',
          stacks: stacksOf('UPDATE_COMPLETE', 'CREATE_COMPLETE'),
        }),
      ).toBe('Active');
    });
  });

  describe('stacks settled', () => {
    it.each<[string, PipelineAction, string]>([
      ['CREATE_FAILED', 'Create', 'Failed'],
      ['ROLLBACK_FAILED', 'Create', 'Failed'],
      ['DELETE_FAILED', 'Delete', 'Failed'],
      ['IMPORT_ROLLBACK_FAILED', 'Create', 'Failed'],
      ['UPDATE_FAILED', 'Update', 'Warning'],
      ['UPDATE_ROLLBACK_FAILED', 'Update', 'Warning'],
      ['UPDATE_FAILED', 'Upgrade', 'Warning'],
      ['CREATE_FAILED', 'Update', 'Warning'],
      ['UPDATE_ROLLBACK_COMPLETE', 'Create', 'Failed'],
      ['UPDATE_ROLLBACK_COMPLETE', 'Delete', 'Failed'],
      ['UPDATE_ROLLBACK_COMPLETE', 'Update', 'Warning'],
      ['UPDATE_ROLLBACK_COMPLETE', 'Upgrade', 'Warning'],
      ['IMPORT_ROLLBACK_COMPLETE', 'Create', 'Failed'],
      ['ROLLBACK_COMPLETE', 'Create', 'Failed'],
    ])('a stack in %s after %s gives %s', (status, lastAction, expected) => {
      expect(
        derivePipelineStatus({
          lastAction,
          execution: 'SUCCEEDED',
          stacks: stacksOf('CREATE_COMPLETE', status),
        }),
      ).toBe(expected);
    });

    it('a failed stack beats a version mismatch (inferred Upgrade gives Warning)', () => {
      const input: PipelineStatusInput = {
        stacks: [stack('CREATE_FAILED', 'v1')],
        templateVersion: 'v2',
      };
      expect(inferLastAction(input)).toBe('Upgrade');
      expect(derivePipelineStatus(input)).toBe('Warning');
      expect(derivePipelineStatus({ ...input, lastAction: 'Create' })).toBe(
        'Failed',
      );
    });

    it('a rolled back update is a Warning when the action is inferred', () => {
      expect(
        derivePipelineStatus({
          stacks: stacksOf('CREATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'),
        }),
      ).toBe('Warning');
    });

    it('a failed deletion with some stacks deleted is Failed, not Deleted', () => {
      expect(
        derivePipelineStatus({
          stacks: stacksOf('DELETE_COMPLETE', 'DELETE_FAILED'),
        }),
      ).toBe('Failed');
    });

    it.each<[PipelineAction | undefined]>([
      ['Delete'],
      ['Create'],
      [undefined],
    ])('all stacks DELETE_COMPLETE after %s is Deleted', lastAction => {
      expect(
        derivePipelineStatus({
          lastAction,
          execution: 'SUCCEEDED',
          stacks: stacksOf('DELETE_COMPLETE', 'DELETE_COMPLETE'),
        }),
      ).toBe('Deleted');
    });

    it('all stacks deleted beats a version mismatch', () => {
      expect(
        derivePipelineStatus({
          lastAction: 'Delete',
          stacks: [stack('DELETE_COMPLETE', 'v1')],
          templateVersion: 'v2',
        }),
      ).toBe('Deleted');
    });

    it('some stacks deleted and others complete is not Deleted', () => {
      expect(
        derivePipelineStatus({
          lastAction: 'Delete',
          stacks: stacksOf('DELETE_COMPLETE', 'CREATE_COMPLETE'),
        }),
      ).toBe('Active');
    });

    it.each<[PipelineAction | undefined, ExecutionState | undefined, string]>([
      ['Delete', 'SUCCEEDED', 'Deleted'],
      ['Delete', undefined, 'Deleted'],
      ['Create', 'SUCCEEDED', 'Active'],
      ['Update', undefined, 'Active'],
      ['Upgrade', 'SUCCEEDED', 'Active'],
      [undefined, 'SUCCEEDED', 'Active'],
    ])(
      'no stacks after %s with execution %s gives %s',
      (lastAction, execution, expected) => {
        expect(
          derivePipelineStatus({
            lastAction,
            execution,
            stacks: [],
            templateVersion: 'v1',
          }),
        ).toBe(expected);
      },
    );

    it.each<[string, PipelineStatusInput, string]>([
      [
        'a stack on an older version',
        {
          lastAction: 'Create',
          stacks: [
            stack('CREATE_COMPLETE', 'v2'),
            stack('UPDATE_COMPLETE', 'v1'),
          ],
          templateVersion: 'v2',
        },
        'Warning',
      ],
      [
        'an inferred upgrade that completed on the wrong version',
        {
          execution: 'SUCCEEDED',
          stacks: [stack('UPDATE_COMPLETE', 'v1')],
          templateVersion: 'v2',
        },
        'Warning',
      ],
      [
        'all stacks on the expected version',
        {
          lastAction: 'Upgrade',
          stacks: [
            stack('UPDATE_COMPLETE', 'v2'),
            stack('CREATE_COMPLETE', 'v2'),
          ],
          templateVersion: 'v2',
        },
        'Active',
      ],
      [
        'stacks without a version',
        {
          lastAction: 'Create',
          stacks: stacksOf('CREATE_COMPLETE'),
          templateVersion: 'v2',
        },
        'Active',
      ],
      [
        'a pipeline without a version',
        { lastAction: 'Create', stacks: [stack('CREATE_COMPLETE', 'v1')] },
        'Active',
      ],
    ])('%s gives %s', (_, input, expected) => {
      expect(derivePipelineStatus(input)).toBe(expected);
    });

    it.each<[PipelineAction | undefined, ExecutionState | undefined]>([
      ['Create', 'SUCCEEDED'],
      ['Create', undefined],
      ['Update', 'SUCCEEDED'],
      ['Upgrade', 'SUCCEEDED'],
      [undefined, undefined],
    ])(
      'healthy stacks after %s with execution %s are Active',
      (lastAction, execution) => {
        expect(
          derivePipelineStatus({
            lastAction,
            execution,
            stacks: stacksOf(
              'CREATE_COMPLETE',
              'UPDATE_COMPLETE',
              'IMPORT_COMPLETE',
            ),
          }),
        ).toBe('Active');
      },
    );
  });

  describe('result is always a known status', () => {
    const stackSets: Record<string, StackState[]> = {
      none: [],
      created: stacksOf('CREATE_COMPLETE'),
      creating: stacksOf('CREATE_COMPLETE', 'CREATE_IN_PROGRESS'),
      failed: stacksOf('CREATE_FAILED'),
      rolledBack: stacksOf('UPDATE_ROLLBACK_COMPLETE'),
      deleted: stacksOf('DELETE_COMPLETE', 'DELETE_COMPLETE'),
      partlyDeleted: stacksOf('DELETE_COMPLETE', 'CREATE_COMPLETE'),
      oldVersion: [stack('UPDATE_COMPLETE', 'v1')],
    };
    const actions: (PipelineAction | undefined)[] = [
      undefined,
      ...PIPELINE_ACTIONS,
    ];
    const executions: (ExecutionState | undefined)[] = [
      undefined,
      ...EXECUTION_STATES,
    ];
    const cases = actions.flatMap(lastAction =>
      executions.flatMap(execution =>
        Object.entries(stackSets).map(
          ([name, stacks]) => [lastAction, execution, name, stacks] as const,
        ),
      ),
    );

    it('covers the whole cross product', () => {
      expect(cases).toHaveLength(5 * 6 * 8);
    });

    it.each(cases)(
      'lastAction %s, execution %s, stacks %s',
      (lastAction, execution, _, stacks) => {
        const status = derivePipelineStatus({
          lastAction,
          execution,
          stacks,
          templateVersion: 'v2',
        });
        expect(PIPELINE_STATUSES).toContain(status);
      },
    );

    it('reaches every status', () => {
      const seen = new Set(
        cases.map(([lastAction, execution, , stacks]) =>
          derivePipelineStatus({
            lastAction,
            execution,
            stacks,
            templateVersion: 'v2',
          }),
        ),
      );
      expect([...seen].sort()).toEqual([...PIPELINE_STATUSES].sort());
    });
  });
});
