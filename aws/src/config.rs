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

    /// Loads the SDK configuration. Fails if the endpoint URL is not http(s) or no region
    /// is configured; credentials are resolved lazily, at the first call.
    pub async fn load(&self) -> Result<SdkConfig, AwsError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(url) = &self.endpoint_url {
            let lower = url.to_ascii_lowercase();
            if !(lower.starts_with("http://") || lower.starts_with("https://"))
                || url.len() <= "http://".len()
            {
                return Err(AwsError::BadEndpoint { url: url.clone() });
            }
            loader = loader.endpoint_url(url.as_str());
        }
        if let Some(region) = &self.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let config = loader.load().await;
        if config.region().is_none() {
            return Err(AwsError::NoRegion);
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
