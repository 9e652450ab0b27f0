//! OpenTelemetry traces, off unless `--otlp-endpoint` names a collector: a span for each HTTP
//! request (`request`, from `http`), its GraphQL operation (`graphql`, with
//! `graphql.operation.name`), each DataLoader batch (`resolver batch`, with its `loader`) and
//! each SQL statement (sea-orm's `sea_orm.*` spans, with `db.system` and `db.operation`).
//!
//! Personal data never reaches the collector: `AllowListed` passes only the attributes named in
//! `ALLOWED_ATTRIBUTES` (no statement text, no bound values, no error messages, which can quote
//! a value) and drops span events (log lines) and error descriptions.

use std::time::Duration;

use opentelemetry::trace::{Status, TracerProvider as _};
use opentelemetry::{Context, KeyValue};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::trace::{BatchSpanProcessor, SdkTracerProvider, Span, SpanData, SpanProcessor};
use tracing::Level;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::registry::LookupSpan;

/// The only span attributes exported: names of things, never values a caller sent.
pub const ALLOWED_ATTRIBUTES: &[&str] = &[
    "method",
    "path",
    "graphql.operation.name",
    "loader",
    "db.system",
    "db.operation",
    "code.file.path",
    "code.filepath",
    "code.namespace",
    "code.module.name",
    "code.lineno",
    "code.line.number",
    "target",
    "level",
    "busy_ns",
    "idle_ns",
    "thread.id",
    "thread.name",
];

/// A span processor that exports through `inner` only what `ALLOWED_ATTRIBUTES` allows.
#[derive(Debug)]
pub struct AllowListed<P>(pub P);

impl<P: SpanProcessor> SpanProcessor for AllowListed<P> {
    fn on_start(&self, span: &mut Span, cx: &Context) {
        self.0.on_start(span, cx);
    }

    fn on_end(&self, mut span: SpanData) {
        let before = span.attributes.len();
        span.attributes.retain(|KeyValue { key, .. }| ALLOWED_ATTRIBUTES.contains(&key.as_str()));
        span.dropped_attributes_count += (before - span.attributes.len()) as u32;
        span.events.events.clear();
        if let Status::Error { .. } = span.status {
            span.status = Status::error("");
        }
        self.0.on_end(span);
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.0.force_flush()
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.0.shutdown_with_timeout(timeout)
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.0.set_resource(resource);
    }
}

/// A provider whose spans go through `processor` (behind the allow-list), as service `ketnap`.
pub fn provider(processor: impl SpanProcessor + 'static) -> SdkTracerProvider {
    SdkTracerProvider::builder()
        .with_span_processor(AllowListed(processor))
        .with_resource(Resource::builder().with_service_name("ketnap").build())
        .build()
}

/// A provider exporting in batches to the OTLP/HTTP collector at `endpoint`
/// (`http://collector:4318`; `/v1/traces` is added when the URL has no path).
pub fn otlp_provider(endpoint: &str) -> Result<SdkTracerProvider, String> {
    use opentelemetry_otlp::WithExportConfig;
    let endpoint = traces_url(endpoint);
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(endpoint.clone())
        .build()
        .map_err(|err| format!("cannot export traces to {endpoint}: {err}"))?;
    Ok(provider(BatchSpanProcessor::builder(exporter).build()))
}

fn traces_url(endpoint: &str) -> String {
    let trimmed = endpoint.trim_end_matches('/');
    let has_path = trimmed.split_once("://").is_some_and(|(_, rest)| rest.contains('/'));
    if has_path { trimmed.to_owned() } else { format!("{trimmed}/v1/traces") }
}

/// The tracing layer that turns ketnap's and sea-orm's spans into OpenTelemetry spans of
/// `provider`; other crates' spans are left out.
pub fn layer<S>(provider: &SdkTracerProvider) -> impl Layer<S> + Send + Sync + 'static
where
    S: tracing::Subscriber + for<'span> LookupSpan<'span> + Send + Sync,
{
    let targets = Targets::new().with_target("ketnap", Level::INFO).with_target("sea_orm", Level::INFO);
    tracing_opentelemetry::layer().with_tracer(provider.tracer("ketnap")).with_filter(targets)
}

/// `T`'s name without module paths: `Cached<UnitLoader>` for
/// `ketnap::cache::loader::Cached<ketnap::graphql::loaders::UnitLoader>`.
pub fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut short = String::with_capacity(full.len());
    let mut word = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            short.push_str(word.rsplit("::").next().unwrap_or_default());
            word.clear();
            short.push(c);
        }
    }
    short.push_str(word.rsplit("::").next().unwrap_or_default());
    short
}

#[cfg(test)]
mod tests {
    use super::{short_type_name, traces_url};

    #[test]
    fn type_names_lose_their_paths() {
        assert_eq!(short_type_name::<std::collections::HashMap<String, Vec<u8>>>(), "HashMap<String, Vec<u8>>");
    }

    #[test]
    fn the_traces_path_is_added_to_a_bare_collector_url() {
        assert_eq!(traces_url("http://collector:4318"), "http://collector:4318/v1/traces");
        assert_eq!(traces_url("http://collector:4318/"), "http://collector:4318/v1/traces");
        assert_eq!(traces_url("http://gateway/otel/v1/traces"), "http://gateway/otel/v1/traces");
    }
}
