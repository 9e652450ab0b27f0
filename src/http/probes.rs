//! The probes an orchestrator asks: `/livez` (the process answers: restart it when it does not)
//! and `/readyz` (the database answers and, on PostgreSQL, the change listener is listening:
//! send it traffic), with `/healthz` kept as readiness for existing monitors. The container's
//! HEALTHCHECK asks `/readyz`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::{ConnectionTrait, DbBackend};

use super::state::AppState;

/// The probe routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/livez", get(live)).route("/readyz", get(ready)).route("/healthz", get(ready))
}

/// Liveness: the process serves requests.
async fn live() -> Response {
    Json(serde_json::json!({ "status": "ok" })).into_response()
}

/// Readiness: 200 when the database answers and the change listener (`cache::changes`, on
/// PostgreSQL) is listening; 503 otherwise. While the listener is down the server answers, but
/// without its read cache and without telling live subscribers about other servers' changes.
async fn ready(State(state): State<AppState>) -> Response {
    let database = match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => "ok",
        Err(err) => {
            tracing::error!(error.cause = %err, "readiness: the database did not answer");
            "unavailable"
        }
    };
    let listening = state.db.get_database_backend() != DbBackend::Postgres || state.api.cache().is_trusted();
    let changes = if listening { "listening" } else { "not listening" };
    let body = serde_json::json!({
        "status": if database == "ok" && listening { "ok" } else { "error" },
        "database": database,
        "changes": changes,
    });
    let status = if database == "ok" && listening { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body)).into_response()
}
