//! The probes an orchestrator asks: `/livez` (the process answers: restart it when it does not)
//! and `/readyz` (the database answers too: send it traffic), with `/healthz` kept as readiness
//! for existing monitors. The container's HEALTHCHECK asks `/readyz`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::ConnectionTrait;

use super::state::AppState;

/// The probe routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/livez", get(live)).route("/readyz", get(ready)).route("/healthz", get(ready))
}

/// Liveness: the process serves requests.
async fn live() -> Response {
    Json(serde_json::json!({ "status": "ok" })).into_response()
}

/// Readiness: 200 when the database answers, 503 otherwise.
async fn ready(State(state): State<AppState>) -> Response {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(err) => {
            tracing::error!(error.cause = %err, "readiness: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "error", "database": "unavailable" })))
                .into_response()
        }
    }
}
