//! The Prometheus endpoint, `GET /metrics`, on its own listener (`--metrics-listen`): kept off
//! the public port and outside the token check, for the monitoring network to scrape.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;

use super::AppState;
use crate::telemetry;

/// What a scrape reads: the recorder's handle, and the server whose pool and permits it samples.
#[derive(Clone)]
struct Scrape {
    handle: PrometheusHandle,
    state: AppState,
    permits: usize,
}

/// The metrics router over `state`'s server, whose API executes `permits` requests at once.
pub fn router(state: AppState, handle: PrometheusHandle, permits: usize) -> Router {
    Router::new().route("/metrics", get(metrics)).with_state(Scrape { handle, state, permits })
}

/// The Prometheus text exposition of every metric (`telemetry` lists them).
async fn metrics(State(scrape): State<Scrape>) -> Response {
    let running = scrape.permits.saturating_sub(scrape.state.api.idle_permits());
    telemetry::sample(&scrape.state.db, running);
    scrape.handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], scrape.handle.render()).into_response()
}

/// Installs the recorder, listens on `address` and serves the metrics of `state`'s server in the
/// background; returns the address it listens on.
pub async fn spawn(address: SocketAddr, state: AppState, permits: usize) -> Result<SocketAddr, String> {
    let handle = telemetry::install(state.db.get_database_backend())?;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|err| format!("cannot listen for metrics on {address}: {err}"))?;
    let bound = listener.local_addr().map_err(|err| err.to_string())?;
    let app = router(state, handle, permits);
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!(error.cause = %err, "the metrics endpoint stopped");
        }
    });
    Ok(bound)
}
