//! The HTTP face: the axum router (GraphQL on POST and GET, the in-browser IDE, `/healthz`), its
//! middleware (request logging, body limit, CORS), and serving with graceful shutdown.

pub mod authenticate;
pub mod ide;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::ParseRequestError;
use async_graphql_axum::rejection::GraphQLRejection;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::auth::Principal;
use crate::auth::rate_limit::RateLimiter;
use crate::auth::token::TokenKeys;
use crate::config::ServeArgs;
use crate::error::AppError;
use crate::graphql::{self, Api};
use authenticate::Authenticator;

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    pub api: Api,
    pub db: DatabaseConnection,
    pub authenticator: Arc<Authenticator>,
}

impl AppState {
    /// The state of a server with `settings`: its token keys (refusing to start without any,
    /// except in the demo), the demo's anonymous access, the rate limit and the schema's limits.
    pub fn new(db: DatabaseConnection, settings: &ServeArgs) -> Result<Self, String> {
        let keys = if settings.demo && !settings.tokens.is_configured() {
            TokenKeys::ephemeral()
        } else {
            settings.tokens.keys()?
        };
        let anonymous = Self::allows_anonymous(settings).then(|| Principal::system_admin("demo visitor (anonymous)"));
        let issuer = keys.can_issue().then(|| keys.clone());
        let api = Api::new(db.clone(), settings.schema_options(issuer));
        let limiter = RateLimiter::per_minute(settings.rate_limit_per_minute);
        let authenticator = Arc::new(Authenticator::new(keys, anonymous, limiter));
        Ok(AppState { api, db, authenticator })
    }

    /// Whether requests without a token are let in (the demo on a loopback address).
    pub fn allows_anonymous(settings: &ServeArgs) -> bool {
        settings.demo && settings.listen.ip().is_loopback()
    }
}

/// The whole application; `main` and the tests build it the same way.
pub fn app(state: AppState, settings: &ServeArgs) -> Router {
    Router::new()
        .route(&settings.graphql_path, get(graphql_get).post(graphql_post))
        .route("/healthz", get(healthz))
        .merge(ide::asset_routes())
        .layer(DefaultBodyLimit::max(settings.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(settings.body_limit_bytes))
        .layer(middleware::map_response(too_large_as_graphql_error))
        .layer(cors(&settings.cors_origins))
        // The span names the path only: a GET query string can carry names or citizen IDs.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

fn cors(origins: &[String]) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .max_age(Duration::from_secs(3600));
    if origins.iter().any(|origin| origin == "*") {
        layer.allow_origin(Any)
    } else {
        let allowed: Vec<HeaderValue> =
            origins.iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
        layer.allow_origin(AllowOrigin::list(allowed))
    }
}

async fn graphql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Result<GraphQLRequest, GraphQLRejection>,
) -> Response {
    let principal = match state.authenticator.authenticate(&headers, &state.db).await {
        Ok(principal) => principal,
        Err(refusal) => return refusal.into_response(),
    };
    match request {
        Ok(request) => execute(&state, request.into_inner(), principal).await.into_response(),
        Err(rejection) => unreadable_request(rejection),
    }
}

/// The body limit answers 413 before any handler runs; give it the GraphQL error shape too.
async fn too_large_as_graphql_error(response: Response) -> Response {
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        unreadable_request(GraphQLRejection(ParseRequestError::PayloadTooLarge))
    } else {
        response
    }
}

/// A body that is not a GraphQL request still gets a GraphQL-shaped error with a code.
fn unreadable_request(rejection: GraphQLRejection) -> Response {
    let (status, code, message) = match rejection.0 {
        ParseRequestError::PayloadTooLarge => (
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "the request body is larger than the server accepts".to_owned(),
        ),
        other => (StatusCode::BAD_REQUEST, "BAD_REQUEST", format!("the request is not a GraphQL request: {other}")),
    };
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, Json(body)).into_response()
}

/// GET serves the IDE to browsers and read-only queries to everyone else. Mutations over GET
/// are refused: a link or an image tag must never change data.
async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query_string): RawQuery,
    request: Result<GraphQLRequest, GraphQLRejection>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    let has_query = query_string.is_some_and(|q| q.split('&').any(|pair| pair.starts_with("query=")));
    if wants_html && !has_query {
        return ide::page();
    }
    let principal = match state.authenticator.authenticate(&headers, &state.db).await {
        Ok(principal) => principal,
        Err(refusal) => return refusal.into_response(),
    };
    let mut request = match request {
        Ok(request) => request.into_inner(),
        Err(rejection) => return unreadable_request(rejection),
    };
    let is_mutation = graphql::is_mutation(&mut request);
    if is_mutation {
        let error = async_graphql::Error::from(AppError::invalid("query", "mutations must be sent with POST"));
        let response = async_graphql::Response::from_errors(vec![error.into_server_error(Default::default())]);
        return (StatusCode::METHOD_NOT_ALLOWED, GraphQLResponse::from(response)).into_response();
    }
    execute(&state, request, principal).await.into_response()
}

async fn execute(state: &AppState, request: async_graphql::Request, principal: Principal) -> GraphQLResponse {
    state.api.execute(request, principal).await.into()
}

/// Liveness and readiness: 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => Json(serde_json::json!({ "status": "ok", "database": "ok" })).into_response(),
        Err(err) => {
            tracing::error!(error.cause = %err, "health check: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "error", "database": "unavailable" })))
                .into_response()
        }
    }
}

/// Serves `router` on `listener` until Ctrl-C or SIGTERM, then lets in-flight requests finish.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
