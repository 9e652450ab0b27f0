//! The caller's own account (`me`) and issuing tokens (`issueToken`) for users in one's subtree.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::access::{self, Touch};
use super::ids::{NodeKind, expect};
use super::transaction::write;
use super::unit::{Unit, load_unit};
use crate::auth::issue::{TokenRequest, check_role, issue, lifetime};
use crate::auth::token::TokenKeys;
use crate::auth::{Capability, Role, Scope, WHOLE_COUNTRY};
use crate::error::AppError;
use crate::rules::Rule;

/// `me`.
#[derive(Default)]
pub struct AccountQuery;

/// Who the caller is, as their token says.
#[derive(SimpleObject)]
pub struct Me {
    /// The token's subject.
    pub subject: String,
    /// The display name.
    pub name: String,
    /// The role.
    pub role: Role,
    /// The unit whose subtree the caller acts in; null for the whole country.
    pub scope: Option<Unit>,
}

#[Object]
impl AccountQuery {
    /// The caller: subject, name, role and scope (any role may ask).
    async fn me(&self, ctx: &Context<'_>) -> Result<Me> {
        let principal = access::principal(ctx)?;
        Ok(Me {
            subject: principal.subject.clone(),
            name: principal.name.clone(),
            role: principal.role,
            scope: load_unit(ctx, principal.scope.root()).await?,
        })
    }
}

/// `issueToken`.
#[derive(Default)]
pub struct AccountMutation;

/// Who a new token is for.
#[derive(InputObject)]
pub struct IssueTokenInput {
    /// The user's stable identifier (employee number, e-mail address…).
    pub subject: String,
    /// The display name recorded in the audit trail (default: the subject).
    pub name: Option<String>,
    /// The role; at most the caller's own.
    pub role: Role,
    /// The unit whose subtree the user will act in, inside the caller's scope (default: the
    /// caller's own scope).
    pub unit_id: Option<ID>,
    /// How many hours the token is valid, 1 to 8,784 (a year; default 720, thirty days).
    #[graphql(default = 720)]
    pub valid_for_hours: i32,
}

/// A new token. Hand it to its user over a safe channel: it is shown only once and cannot be
/// looked up later.
#[derive(SimpleObject)]
pub struct IssuedTokenPayload {
    /// The bearer token.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Its subject.
    pub subject: String,
    /// Its role.
    pub role: Role,
    /// Its unit; null for the whole country.
    pub unit: Option<Unit>,
}

#[Object]
impl AccountMutation {
    /// Issues a token for a user in the caller's subtree, with a role no higher than the caller's
    /// (administrators only). The issue is recorded in the audit trail; the token itself is not.
    async fn issue_token(&self, ctx: &Context<'_>, input: IssueTokenInput) -> Result<IssuedTokenPayload> {
        let caller = access::require(ctx, Capability::IssueTokens)?;
        check_role(caller.role, input.role)?;
        let ttl = lifetime(input.valid_for_hours)?;
        let keys = ctx
            .data_opt::<TokenKeys>()
            .cloned()
            .ok_or_else(|| AppError::refused(Rule::TokensFromIdentityProvider, "this server cannot issue tokens"))?;
        let (unit_id, touch) = match input.unit_id {
            Some(id) => {
                let unit: i64 = expect(&id, NodeKind::Unit, "unitId")?;
                (Some(unit), Touch::Unit(unit.into()))
            }
            None => match &caller.scope {
                Scope::Country => (None, Touch::TopLevel),
                Scope::Subtree { unit_id, .. } => (Some(*unit_id), Touch::Unit((*unit_id).into())),
            },
        };
        let unit_code = match load_unit(ctx, unit_id).await? {
            Some(unit) => unit.0.code.clone(),
            None if unit_id.is_none() => WHOLE_COUNTRY.to_owned(),
            None => return Err(access::missing(NodeKind::Unit, unit_id.unwrap_or_default()).into()),
        };
        let request = TokenRequest {
            name: input.name.unwrap_or_else(|| input.subject.clone()),
            subject: input.subject,
            role: input.role,
            unit: unit_code,
            ttl,
        };
        let issued = write(ctx, Capability::IssueTokens, &[touch], |txn, actor| {
            Box::pin(async move { issue(txn, &keys, actor, &request).await.map(|issued| (issued, request)) })
        })
        .await?;
        let (issued, request) = issued;
        Ok(IssuedTokenPayload {
            token: issued.token,
            expires_at: issued.expires_at,
            subject: request.subject,
            role: request.role,
            unit: load_unit(ctx, issued.unit_id).await?,
        })
    }
}
