//! The in-browser GraphQL IDE (GraphiQL) served by the binary itself.
//!
//! This module owns the GraphiQL page shown to browsers on a GET of the
//! GraphQL path ([`page`]) and the static files that page loads from
//! `/ide/{file}` ([`asset_routes`]).
//!
//! The files are vendored under `assets/graphiql/`: GraphiQL 5.4.0 with React
//! 19 and its Monaco editors, bundled from their npm packages by
//! `assets/graphiql/build/` (a committed lock file and build script), the
//! Monaco web workers as bundles of their own and the fonts inlined in the
//! stylesheet, with the licences of everything bundled. They are embedded in
//! the binary with `include_bytes!`, so the IDE works fully offline: no CDN, no
//! network access beyond the ketnap server itself, and nothing to deploy next
//! to the binary. See `assets/graphiql/README.md` for how to rebuild them.

use std::sync::LazyLock;

use axum::{
    Router,
    extract::Path,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
    routing::get,
};

use super::embedded::{self, Asset, CSS, JS, TEXT};

/// The GraphiQL HTML page. It loads only the `/ide/…` files below.
const PAGE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/index.html"));

/// Cache policy of the page: always revalidate, so a new binary's page
/// is picked up at once.
const PAGE_CACHE_CONTROL: &str = "no-cache";

/// Everything served under `/ide/`: the IDE's bundle and stylesheet, the three web workers
/// Monaco starts (`MonacoEnvironment.getWorker` in `assets/graphiql/build/ide.js`), and the licences.
static ASSETS: [Asset; 6] = [
    Asset {
        name: "ide.js",
        content_type: JS,
        body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/ide.js")),
    },
    Asset {
        name: "ide.css",
        content_type: CSS,
        body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/ide.css")),
    },
    Asset {
        name: "editor.worker.js",
        content_type: JS,
        body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/editor.worker.js")),
    },
    Asset {
        name: "json.worker.js",
        content_type: JS,
        body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/json.worker.js")),
    },
    Asset {
        name: "graphql.worker.js",
        content_type: JS,
        body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/graphql.worker.js")),
    },
    Asset {
        name: "LICENSES.txt",
        content_type: TEXT,
        body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/LICENSES.txt")),
    },
];

/// Strong `ETag` of each entry of [`ASSETS`], same order, computed once.
static ETAGS: LazyLock<Vec<String>> = LazyLock::new(|| ASSETS.iter().map(|asset| embedded::etag(asset.body)).collect());

/// The GraphiQL page (HTML), served on GET of the GraphQL path to browsers.
///
/// The page posts its queries to `window.location.pathname`, i.e. to the
/// very path it was served from, so it works wherever the GraphQL endpoint
/// is mounted.
pub fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, PAGE_CACHE_CONTROL),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        PAGE,
    )
        .into_response()
}

/// Routes serving the vendored assets under `/ide/{file}`, with correct
/// content types and a long Cache-Control.
///
/// Unknown files answer 404. HEAD is answered too (axum derives it from GET).
pub fn asset_routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/ide/{file}", get(serve_asset))
}

async fn serve_asset(Path(file): Path<String>, request_headers: HeaderMap) -> Response {
    embedded::serve(&ASSETS, &ETAGS, &file, &request_headers, "no such IDE asset")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::embedded::ASSET_CACHE_CONTROL;
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use axum::http::{HeaderValue, StatusCode};
    use tower::ServiceExt as _;

    /// Every value of `attr="…"` in `html`.
    fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
        let needle = format!("{attr}=\"");
        html.match_indices(&needle)
            .filter_map(|(start, _)| {
                let rest = html.get(start + needle.len()..)?;
                rest.find('"').and_then(|end| rest.get(..end))
            })
            .collect()
    }

    #[test]
    fn page_references_only_local_ide_urls() {
        let urls: Vec<&str> = attribute_values(PAGE, "src").into_iter().chain(attribute_values(PAGE, "href")).collect();
        assert_eq!(urls, ["/ide/ide.js", "/ide/ide.css", "/dashboard"], "a module script, a stylesheet, the dashboard");
        for url in urls.iter().filter(|url| **url != "/dashboard") {
            let name = url.strip_prefix("/ide/");
            assert!(name.is_some(), "{url} is not a local /ide/ URL");
            assert!(ASSETS.iter().any(|asset| Some(asset.name) == name), "{url} is not an embedded asset");
        }
        for needle in ["http://", "https://", "unpkg", "jsdelivr", "cdn."] {
            assert!(!PAGE.contains(needle), "page mentions {needle}");
        }
        assert!(PAGE.contains("<title>ketnap — GraphQL IDE</title>"));
    }

    /// What the bundle itself loads: the workers by their `/ide/` URLs, the page's own path as the
    /// endpoint, and nothing from another host (no `import("http…")`, no `importScripts`, no
    /// stylesheet or font URL outside `data:`).
    #[test]
    fn the_bundle_loads_only_embedded_files() {
        let Some(bundle) = ASSETS.iter().find(|asset| asset.name == "ide.js") else {
            panic!("no ide.js");
        };
        let script = String::from_utf8_lossy(bundle.body);
        for worker in ["/ide/editor.worker.js", "/ide/json.worker.js", "/ide/graphql.worker.js"] {
            assert!(script.contains(&format!("new Worker(\"{worker}\")")), "{worker}");
            assert!(
                ASSETS.iter().any(|asset| Some(asset.name) == worker.strip_prefix("/ide/")),
                "{worker} is embedded"
            );
        }
        assert!(script.contains("window.location.pathname"));
        assert!(script.contains("onDidChangeModelContent"), "the schema is fetched again when the headers change");
        for asset in ASSETS.iter().filter(|asset| asset.content_type == JS) {
            let text = String::from_utf8_lossy(asset.body);
            for needle in ["import(\"http", "importScripts(\"http", "esm.sh", "fonts.googleapis", "fonts.gstatic"] {
                assert!(!text.contains(needle), "{} mentions {needle}", asset.name);
            }
        }
        let Some(css) = ASSETS.iter().find(|asset| asset.name == "ide.css") else {
            panic!("no ide.css");
        };
        let css = String::from_utf8_lossy(css.body);
        let urls: Vec<&str> = css.match_indices("url(").filter_map(|(at, _)| css.get(at + 4..at + 9)).collect();
        assert!(!urls.is_empty());
        for url in urls {
            assert!(url.trim_start_matches(['"', '\'']).starts_with("data:"), "the stylesheet loads {url}…");
        }
        assert!(!css.contains("@import"), "the stylesheet imports nothing");
    }

    #[test]
    fn no_embedded_asset_is_empty() {
        assert!(!PAGE.is_empty());
        for asset in &ASSETS {
            assert!(!asset.body.is_empty(), "{} is empty", asset.name);
        }
        assert_eq!(ETAGS.len(), ASSETS.len());
    }

    #[test]
    fn bundles_fetch_nothing_from_a_cdn() {
        for asset in ASSETS.iter().filter(|asset| asset.content_type == JS) {
            let text = String::from_utf8_lossy(asset.body);
            for needle in ["https://unpkg.com", "https://cdn.jsdelivr.net", "cdnjs."] {
                assert!(!text.contains(needle), "{} mentions {needle}", asset.name);
            }
        }
    }

    #[test]
    fn page_is_html() {
        let response = page();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static("text/html; charset=utf-8"))
        );
    }

    #[tokio::test]
    async fn serves_assets_with_type_cache_and_etag() {
        let app = asset_routes::<()>();
        let response = app.clone().oneshot(Request::get("/ide/ide.js").body(Body::empty()).unwrap_or_default()).await;
        let Ok(response) = response;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers().get(header::CONTENT_TYPE), Some(&HeaderValue::from_static(JS)));
        assert_eq!(response.headers().get(header::CACHE_CONTROL), Some(&HeaderValue::from_static(ASSET_CACHE_CONTROL)));
        let etag = response.headers().get(header::ETAG).cloned();
        assert!(etag.is_some());
        let body = to_bytes(response.into_body(), usize::MAX).await;
        assert!(body.is_ok_and(|b| !b.is_empty()));

        let mut revalidate = Request::get("/ide/ide.js").body(Body::empty()).unwrap_or_default();
        if let Some(etag) = etag {
            revalidate.headers_mut().insert(header::IF_NONE_MATCH, etag);
        }
        let Ok(response) = app.clone().oneshot(revalidate).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);

        let Ok(response) = app.oneshot(Request::get("/ide/nope.js").body(Body::empty()).unwrap_or_default()).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}
