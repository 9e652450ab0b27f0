//! The province dashboard page served by the binary itself at `/dashboard`.
//!
//! This module owns the page ([`routes`]: `/dashboard`) and the files it loads from
//! `/dashboard/{file}`: its own script and stylesheet (plain files, edited in place), its GraphQL
//! documents (`queries/*.graphql`, the same a frontend team would send; `tests/api/dashboard.rs`
//! validates each against the schema), and `vendor.js` — Chart.js and the graphql-ws client,
//! bundled from npm by `assets/dashboard/build/` with a committed lock file, their licences in
//! `LICENSES.txt`. Everything is embedded with `include_bytes!`, so the page works offline and
//! talks only to this server's public API, with the user's bearer token. See
//! `assets/dashboard/README.md`.

use std::sync::LazyLock;

use axum::{
    Router,
    extract::Path,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
    routing::get,
};

use super::embedded::{self, Asset, CSS, JS, TEXT};

/// The dashboard's HTML page. It loads only the `/dashboard/…` files below.
const PAGE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dashboard/index.html"));

const GRAPHQL: &str = "application/graphql; charset=utf-8";

/// An [`Asset`] named `$name`, embedded from `assets/dashboard/$folder$name`.
macro_rules! asset {
    ($name:literal, $content_type:expr) => {
        asset!($name, $content_type, "")
    };
    ($name:literal, $content_type:expr, $folder:literal) => {
        Asset {
            name: $name,
            content_type: $content_type,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dashboard/", $folder, $name)),
        }
    };
}

/// Everything served under `/dashboard/`; a query `queries/x.graphql` is served as `x.graphql`.
pub static ASSETS: [Asset; 7] = [
    asset!("dashboard.js", JS),
    asset!("dashboard.css", CSS),
    asset!("vendor.js", JS),
    asset!("LICENSES.txt", TEXT),
    asset!("viewer.graphql", GRAPHQL, "queries/"),
    asset!("view.graphql", GRAPHQL, "queries/"),
    asset!("figures_changed.graphql", GRAPHQL, "queries/"),
];

/// Strong `ETag` of each entry of [`ASSETS`], same order, computed once.
static ETAGS: LazyLock<Vec<String>> = LazyLock::new(|| ASSETS.iter().map(|asset| embedded::etag(asset.body)).collect());

/// The page at `/dashboard` and its files at `/dashboard/{file}`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/dashboard", get(page)).route("/dashboard/{file}", get(serve_asset))
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        PAGE,
    )
        .into_response()
}

async fn serve_asset(Path(file): Path<String>, request_headers: HeaderMap) -> Response {
    embedded::serve(&ASSETS, &ETAGS, &file, &request_headers, "no such dashboard file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_and_its_script_load_only_embedded_files() {
        for needle in ["http://", "https://", "cdn."] {
            assert!(!PAGE.contains(needle), "the page mentions {needle}");
        }
        for url in ["/dashboard/dashboard.js", "/dashboard/dashboard.css"] {
            assert!(PAGE.contains(url), "{url}");
        }
        let Some(script) = ASSETS.iter().find(|asset| asset.name == "dashboard.js") else {
            panic!("no dashboard.js");
        };
        let script = String::from_utf8_lossy(script.body);
        assert!(script.contains("from '/dashboard/vendor.js'"), "dashboard.js imports vendor.js");
        assert!(script.contains("fetch(`/dashboard/${name}.graphql`)"), "dashboard.js loads its documents");
        for name in ASSETS.iter().filter_map(|asset| asset.name.strip_suffix(".graphql")) {
            assert!(script.contains(&format!("'{name}'")), "dashboard.js sends {name}.graphql");
        }
        for asset in ASSETS.iter().filter(|asset| asset.content_type == JS) {
            let text = String::from_utf8_lossy(asset.body);
            for needle in ["https://unpkg", "https://cdn", "import(\"http", "fonts.googleapis"] {
                assert!(!text.contains(needle), "{} mentions {needle}", asset.name);
            }
            assert!(!asset.body.is_empty());
        }
    }
}
