import yaml from 'yaml';

const example = (description: string, steps: object[]) => ({
  description,
  example: yaml.stringify({ steps }),
});

export const createProjectExamples = [
  example('Create a local project owned by a group', [
    {
      id: 'project',
      action: 'clickstream:project:create',
      name: 'Create the Clickstream project',
      input: {
        id: 'shop',
        name: 'Shop',
        owner: 'group:default/web',
        environment: 'Dev',
        target: { type: 'local' },
        pipeline: { processing: { dataFreshnessHours: 72 } },
      },
    },
  ]),
];

export const registerAppExamples = [
  example('Register a web app', [
    {
      id: 'app',
      action: 'clickstream:app:register',
      name: 'Register the app',
      input: {
        projectId: 'shop',
        appId: 'web',
        name: 'Shop web',
        platforms: ['Web'],
        corsOrigins: ['https://shop.example.com'],
      },
    },
  ]),
];

export const deployPipelineExamples = [
  example('Deploy the pipeline', [
    {
      id: 'deploy',
      action: 'clickstream:pipeline:deploy',
      name: 'Deploy',
      input: { projectId: 'shop' },
    },
  ]),
];

export const upgradePipelineExamples = [
  // Follow it with clickstream:pipeline:wait to end when the pipeline is Active again.
  example('Upgrade the pipeline to the version this portal deploys', [
    {
      id: 'upgrade',
      action: 'clickstream:pipeline:upgrade',
      name: 'Upgrade',
      input: { projectId: 'shop' },
    },
  ]),
];

export const waitForPipelineExamples = [
  example('Wait up to ten minutes for the pipeline', [
    {
      id: 'wait',
      action: 'clickstream:pipeline:wait',
      name: 'Wait for the pipeline',
      input: { projectId: 'shop', timeoutSeconds: 600 },
    },
  ]),
];
