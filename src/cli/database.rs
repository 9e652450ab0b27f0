//! Opening the database the command line names, and its URL without the password for messages.

use crate::config::DatabaseArgs;
use crate::db;

/// The database of `database` (the demo's when `demo`), opened with its pool size.
pub async fn connect(database: &DatabaseArgs, demo: bool) -> Result<sea_orm::DatabaseConnection, String> {
    let url = database.url(demo);
    db::connect(&url, database.max_connections(&url))
        .await
        .map_err(|err| format!("cannot open the database {}: {err}", redact(&url)))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => format!("{}://…{}", &url[..scheme_end], &url[at..]),
        _ => url.to_owned(),
    }
}
