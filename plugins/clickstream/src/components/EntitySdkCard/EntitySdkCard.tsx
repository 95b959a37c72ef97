import {
  CodeSnippet,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  App,
  AppPlatform,
  sdkConfiguration,
  SdkConfiguration,
} from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { projectIdOf } from '../../conditions';
import { useProjectPipeline } from '../../hooks/useProjectPipeline';
import { FirstEventCheck } from './FirstEventCheck';

type SdkPlatform = keyof SdkConfiguration['snippets'];

const PLATFORMS: Array<{
  id: SdkPlatform;
  label: string;
  language: string;
  /** Where the SDK's install instructions start. */
  install: string;
  /** Mobile SDKs read the appId and endpoint from a configuration file. */
  configFile?: string;
}> = [
  {
    id: 'web',
    label: 'Web',
    language: 'typescript',
    install: 'npm install @aws/clickstream-web',
  },
  {
    id: 'android',
    label: 'Android',
    language: 'java',
    install:
      "implementation 'software.aws.solution:clickstream:0.14.2'  // app/build.gradle",
    configFile: 'app/src/main/res/raw/amplifyconfiguration.json',
  },
  {
    id: 'swift',
    label: 'iOS (Swift)',
    language: 'swift',
    install:
      'Swift Package Manager: https://github.com/awslabs/clickstream-swift',
    configFile: 'amplifyconfiguration.json in the app target',
  },
  {
    id: 'flutter',
    label: 'Flutter',
    language: 'dart',
    install: 'flutter pub add clickstream_analytics',
  },
  {
    id: 'reactNative',
    label: 'React Native',
    language: 'typescript',
    install: 'npm install @aws/clickstream-react-native',
  },
];

/** The SDK each platform of an app sends with (the WeChat mini program SDK has no snippet here). */
const SDK_OF_PLATFORM: Record<AppPlatform, SdkPlatform | undefined> = {
  Web: 'web',
  Android: 'android',
  iOS: 'swift',
  Flutter: 'flutter',
  ReactNative: 'reactNative',
  WeChatMP: undefined,
};

/** The SDKs of the app's platforms; every SDK when none of them has one. */
function sdksFor(app: App) {
  const sdks = PLATFORMS.filter(p =>
    app.platforms.some(platform => SDK_OF_PLATFORM[platform] === p.id),
  );
  return sdks.length ? sdks : PLATFORMS;
}

function downloadConfigFile(content: string) {
  const url = URL.createObjectURL(
    new Blob([content], { type: 'application/json' }),
  );
  const link = document.createElement('a');
  link.href = url;
  link.download = 'amplifyconfiguration.json';
  link.click();
  URL.revokeObjectURL(url);
}

/** How to send events to a project: per app and SDK, with the real endpoint and appId. */
export const SdkCard = ({ projectId }: { projectId: string }) => {
  const { value, loading, error } = useProjectPipeline(projectId);
  const [appIndex, setAppIndex] = useState(0);
  const [platform, setPlatform] = useState<SdkPlatform>('web');

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error && !value) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value!.apps.length) {
    content = (
      <EmptyState
        missing="data"
        title="No apps yet"
        description="Register an app with the clickstream-app template; its SDK setup appears here."
      />
    );
  } else if (!value!.pipeline.outputs.endpointUrl) {
    content = (
      <Typography>
        The SDK endpoint appears here once the pipeline is deployed.
      </Typography>
    );
  } else {
    const apps = value!.apps;
    const app = apps[Math.min(appIndex, apps.length - 1)];
    const config = sdkConfiguration(
      app.appId,
      value!.pipeline.outputs.endpointUrl,
    );
    const sdks = sdksFor(app);
    const selected = sdks.find(p => p.id === platform) ?? sdks[0];
    content = (
      <>
        <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
          {apps.length > 1 && (
            <TextField
              select
              id="clickstream-sdk-app"
              label="App"
              value={appIndex}
              onChange={e => setAppIndex(Number(e.target.value))}
              size="small"
              variant="outlined"
            >
              {apps.map((a, i) => (
                <MenuItem key={a.appId} value={i}>
                  {a.name} ({a.appId})
                </MenuItem>
              ))}
            </TextField>
          )}
          <Typography variant="body2">
            appId <code>{config.appId}</code>
          </Typography>
        </Box>
        <FirstEventCheck
          key={app.appId}
          projectId={projectId}
          app={app}
          target={value!.project.target.type}
        />
        <Tabs
          value={selected.id}
          onChange={(_, next) => setPlatform(next)}
          indicatorColor="primary"
          variant="scrollable"
          aria-label="SDK platform"
        >
          {sdks.map(p => (
            <Tab key={p.id} value={p.id} label={p.label} />
          ))}
        </Tabs>
        <Box mt={2}>
          <Typography variant="subtitle2">Install</Typography>
          <CodeSnippet text={selected.install} language="bash" />
          <Typography variant="subtitle2" style={{ marginTop: 16 }}>
            Initialize
          </Typography>
          <CodeSnippet
            text={config.snippets[selected.id]}
            language={selected.language}
            showCopyCodeButton
          />
          {selected.configFile && (
            <Box mt={2}>
              <Typography variant="subtitle2">
                Configuration file ({selected.configFile})
              </Typography>
              <CodeSnippet
                text={config.mobileConfigFile}
                language="json"
                showCopyCodeButton
              />
              <Button
                variant="outlined"
                style={{ marginTop: 8 }}
                onClick={() => downloadConfigFile(config.mobileConfigFile)}
              >
                Download amplifyconfiguration.json
              </Button>
            </Box>
          )}
        </Box>
      </>
    );
  }

  return (
    <InfoCard title="SDK setup" subheader="Send events with a Clickstream SDK">
      {content}
    </InfoCard>
  );
};

/** How to send events to the project: per app and SDK, with the real endpoint and appId. */
export const EntitySdkCard = () => {
  const { entity } = useEntity();
  return <SdkCard projectId={projectIdOf(entity)!} />;
};
