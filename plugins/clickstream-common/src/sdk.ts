/**
 * What an app needs to send events: the SDK configuration for each platform, written once
 * for the scaffolder's output, the entity page and the docs.
 */

/** @public */
export interface SdkConfiguration {
  appId: string;
  endpoint: string;
  /** Snippets by platform, ready to paste. */
  snippets: {
    web: string;
    android: string;
    swift: string;
    flutter: string;
    reactNative: string;
  };
  /** The mobile SDKs' configuration file (`amplifyconfiguration.json`). */
  mobileConfigFile: string;
}

/** @public */
export function sdkConfiguration(
  appId: string,
  endpoint: string,
): SdkConfiguration {
  const mobileConfigFile = JSON.stringify(
    {
      analytics: {
        plugins: {
          awsClickstreamPlugin: {
            appId,
            endpoint,
            isCompressEvents: true,
            autoFlushEventsInterval: 10000,
            isTrackAppExceptionEvents: false,
          },
        },
      },
    },
    null,
    2,
  );
  return {
    appId,
    endpoint,
    snippets: {
      web: `import { ClickstreamAnalytics } from '@aws/clickstream-web';

ClickstreamAnalytics.init({
  appId: '${appId}',
  endpoint: '${endpoint}',
});`,
      android: `// app/src/main/res/raw/amplifyconfiguration.json holds the appId and endpoint
ClickstreamAnalytics.init(getApplicationContext());`,
      swift: `// amplifyconfiguration.json in the app bundle holds the appId and endpoint
try ClickstreamAnalytics.initSDK()`,
      flutter: `final analytics = ClickstreamAnalytics();
analytics.init(appId: '${appId}', endpoint: '${endpoint}');`,
      reactNative: `import { ClickstreamAnalytics } from '@aws/clickstream-react-native';

ClickstreamAnalytics.init({
  appId: '${appId}',
  endpoint: '${endpoint}',
});`,
    },
    mobileConfigFile,
  };
}
