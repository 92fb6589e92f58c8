//! Building the SDK clients from the AWS configuration chain.

use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::error::AwsError;

/// Where to reach AWS: the normal configuration chain (environment, profile, SSO, web
/// identity, container and instance metadata), with an optional endpoint URL and region
/// on top.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    /// Send every request here instead of AWS's endpoints, e.g. an emulator at
    /// `http://127.0.0.1:5000`.
    pub endpoint_url: Option<String>,
    /// The region, instead of the chain's.
    pub region: Option<String>,
}

/// The region used with an emulator on loopback when none is configured: moto's and
/// LocalStack's default.
pub const EMULATOR_REGION: &str = "us-east-1";

/// The access key and secret used with an emulator on loopback when no credentials are
/// configured.
pub const EMULATOR_KEY: &str = "test";

/// Whether an endpoint URL points at this machine (127.0.0.0/8, `localhost`, `[::1]`).
pub fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether the environment or the shared files name credentials, so that the chain
/// can find some without the network.
fn credentials_configured() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("AWS_ACCESS_KEY_ID") || set("AWS_PROFILE") || set("AWS_WEB_IDENTITY_TOKEN_FILE") {
        return true;
    }
    let shared = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".aws/credentials"))
        });
    shared.is_some_and(|path| path.is_file())
}

/// The clients this crate uses, from one configuration.
#[derive(Debug, Clone)]
pub struct Clients {
    /// SNS: the topic and its subscriptions.
    pub sns: aws_sdk_sns::Client,
    /// SQS: the queues.
    pub sqs: aws_sdk_sqs::Client,
    /// DynamoDB: the event store.
    pub dynamodb: aws_sdk_dynamodb::Client,
}

impl Connection {
    /// The chain's configuration, plus an endpoint URL.
    pub fn endpoint(url: impl Into<String>) -> Self {
        Connection {
            endpoint_url: Some(url.into()),
            region: None,
        }
    }

    /// The same connection in `region`.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Loads the SDK configuration. Fails if the endpoint URL is not http(s), is plain
    /// http:// anywhere but on loopback, or no region is configured; credentials are
    /// resolved lazily, at the first call.
    ///
    /// For an endpoint on loopback (an emulator such as moto), a missing region defaults
    /// to [`EMULATOR_REGION`], and when neither the environment nor the shared files name
    /// credentials, [`EMULATOR_KEY`] is used for both key and secret, so a local run needs
    /// no AWS setup at all.
    pub async fn load(&self) -> Result<SdkConfig, AwsError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(url) = &self.endpoint_url {
            let lower = url.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://"))
                || url.len() <= "http://".len()
            {
                return Err(AwsError::BadEndpoint { url: url.clone() });
            }
            if lower.starts_with("http://") && !is_loopback(url) {
                return Err(AwsError::InsecureEndpoint { url: url.clone() });
            }
            loader = loader.endpoint_url(url.as_str());
        }
        if let Some(region) = &self.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let emulator = self.endpoint_url.as_deref().is_some_and(is_loopback);
        if emulator && !credentials_configured() {
            // An emulator on this machine accepts any credentials; without this, the
            // chain would end at the instance metadata service, which is not there.
            loader = loader.credentials_provider(aws_credential_types::Credentials::new(
                EMULATOR_KEY,
                EMULATOR_KEY,
                None,
                None,
                "event-contracts-emulator",
            ));
        }
        let mut config = loader.load().await;
        if config.region().is_none() {
            if !emulator {
                return Err(AwsError::NoRegion);
            }
            config = config
                .into_builder()
                .region(Region::new(EMULATOR_REGION))
                .build();
        }
        Ok(config)
    }

    /// SNS, SQS and DynamoDB clients sharing one configuration.
    pub async fn clients(&self) -> Result<Clients, AwsError> {
        let config = self.load().await?;
        Ok(Clients::from_config(&config))
    }
}

impl Clients {
    /// Clients from an already loaded configuration.
    pub fn from_config(config: &SdkConfig) -> Self {
        Clients {
            sns: aws_sdk_sns::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            dynamodb: aws_sdk_dynamodb::Client::new(config),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_loopback, Connection};
    use crate::error::AwsError;

    #[tokio::test]
    async fn plain_http_is_refused_except_on_loopback() {
        for url in [
            "http://sqs.example.com",
            "HTTP://10.0.0.1:5000",
            "http://127.0.0.1.example.com",
        ] {
            let err = Connection::endpoint(url)
                .with_region("eu-west-1")
                .load()
                .await
                .unwrap_err();
            assert!(
                matches!(err, AwsError::InsecureEndpoint { .. }),
                "{url}: {err:?}"
            );
            assert!(err.to_string().contains("use https://"), "{err}");
        }
        for url in ["http://127.0.0.1:5000", "https://sqs.example.com"] {
            assert!(
                Connection::endpoint(url)
                    .with_region("eu-west-1")
                    .load()
                    .await
                    .is_ok(),
                "{url}"
            );
        }
    }

    #[test]
    fn loopback_endpoints_are_recognised() {
        for url in [
            "http://127.0.0.1:5000",
            "http://127.1.2.3",
            "https://localhost:4566/",
            "http://LOCALHOST",
            "http://[::1]:5000/path",
            "http://user@127.0.0.1:9",
        ] {
            assert!(is_loopback(url), "{url}");
        }
    }

    #[test]
    fn other_endpoints_are_not_loopback() {
        for url in [
            "https://sqs.us-east-1.amazonaws.com",
            "http://10.0.0.1:5000",
            "http://localhost.example.com",
            "http://127.0.0.1.example.com",
            "http://[::2]:5000",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
