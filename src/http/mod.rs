//! The HTTP face: the axum router (GraphQL on POST and GET, the in-browser IDE, `/healthz`), its
//! middleware (request logging, body limit, CORS, compression), and serving with graceful shutdown.

pub mod authenticate;
pub mod dashboard;
mod embedded;
mod graphql;
pub mod ide;
mod live;
pub mod media;
pub mod metrics;
mod probes;
mod reply;
mod reports;
mod state;

pub use state::AppState;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use axum::{Router, middleware};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::config::ServeArgs;

/// The whole application; `main` and the tests build it the same way.
pub fn app(state: AppState, settings: &ServeArgs) -> Router {
    Router::new()
        .route(&settings.graphql_path, get(graphql::get).post(graphql::post).fallback(graphql::other_method))
        .merge(probes::routes())
        .route("/reports/{file}", get(reports::download))
        .merge(ide::asset_routes())
        .merge(dashboard::routes())
        .layer(DefaultBodyLimit::max(settings.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(settings.body_limit_bytes))
        .layer(middleware::map_response(too_large_as_graphql_error))
        // gzip or Brotli when the client accepts it ("Accept-Encoding"): responses of a few
        // hundred bytes and up (introspection, rankings, the IDE's bundle) shrink several-fold.
        .layer(CompressionLayer::new())
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

/// The body limit answers 413 before any handler runs; give it the GraphQL error shape too.
async fn too_large_as_graphql_error(response: Response) -> Response {
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE { graphql::too_large() } else { response }
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
