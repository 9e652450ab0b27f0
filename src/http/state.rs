//! What every request handler shares: the API, the database and the authenticator, built once
//! from the settings.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use super::authenticate::Authenticator;
use crate::auth::Principal;
use crate::auth::rate_limit::RateLimiter;
use crate::auth::token::TokenKeys;
use crate::config::ServeArgs;
use crate::graphql::Api;

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
        let authenticator = Arc::new(Authenticator::new(keys, anonymous, limiter, api.cache().clone()));
        Ok(AppState { api, db, authenticator })
    }

    /// Whether requests without a token are let in (the demo on a loopback address).
    pub fn allows_anonymous(settings: &ServeArgs) -> bool {
        settings.demo && settings.listen.ip().is_loopback()
    }
}
