//! Who is asking and what they may do: the four roles, the unit subtree a user is scoped to, and
//! the one table of which role holds which capability. Tokens (`token`) carry these; the GraphQL
//! layer (`graphql::access`) applies them to every resolver and mutation.

pub mod budget;
pub mod issue;
pub mod rate_limit;
pub mod token;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::domain::audit::Actor;

/// A user's role. Each role includes everything the roles before it may do.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Aggregated figures only: no personal records.
    Dashboard,
    /// Figures and personal records.
    Viewer,
    /// A viewer who also records the pipeline: nominations, classes, admissions, recognitions.
    Editor,
    /// An editor who also edits the unit tree, sets targets for the units below, issues tokens and
    /// reads the audit trail.
    Admin,
}

/// Something a request may do; `Role::can` is the whole permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Read units and aggregated figures.
    ReadFigures,
    /// Read personal records: people, candidates, members, classes, admissions.
    ReadRecords,
    /// Change the pipeline: nominate, enrol, admit, recognise, correct, transfer.
    EditPipeline,
    /// Create, rename, move, dissolve and merge units.
    EditTree,
    /// Set and clear the targets of the units below.
    SetTargets,
    /// Read the audit trail.
    ReadAudit,
    /// Issue tokens for users in the subtree.
    IssueTokens,
    /// Sign off the figures of a unit in the subtree; approve and reopen those of units below.
    SignOffFigures,
}

impl Capability {
    /// What the capability lets one do, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            Capability::ReadFigures => "read figures",
            Capability::ReadRecords => "read personal records",
            Capability::EditPipeline => "change the admission pipeline",
            Capability::EditTree => "edit the unit tree",
            Capability::SetTargets => "set targets",
            Capability::ReadAudit => "read the audit trail",
            Capability::IssueTokens => "issue tokens",
            Capability::SignOffFigures => "sign off, approve or reopen figures",
        }
    }
}

impl Role {
    /// Whether the role holds `capability`.
    pub fn can(self, capability: Capability) -> bool {
        let least = match capability {
            Capability::ReadFigures => Role::Dashboard,
            Capability::ReadRecords => Role::Viewer,
            Capability::EditPipeline => Role::Editor,
            Capability::EditTree
            | Capability::SetTargets
            | Capability::ReadAudit
            | Capability::IssueTokens
            | Capability::SignOffFigures => Role::Admin,
        };
        self >= least
    }

    /// The role as written in tokens and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Dashboard => "dashboard",
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "dashboard" => Ok(Role::Dashboard),
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role '{other}': use dashboard, viewer, editor or admin")),
        }
    }
}

/// The token claim value that scopes a user to the whole country rather than one unit.
pub const WHOLE_COUNTRY: &str = "*";

/// The part of the tree a user acts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every unit (the central committee's staff, operators).
    Country,
    /// The current subtree of one unit, itself included.
    Subtree { unit_id: i64, code: String },
}

impl Scope {
    /// The root unit of the subtree, or None for the whole country.
    pub fn root(&self) -> Option<i64> {
        match self {
            Scope::Country => None,
            Scope::Subtree { unit_id, .. } => Some(*unit_id),
        }
    }

    /// The scope as written in tokens: a unit code, or `*`.
    pub fn code(&self) -> &str {
        match self {
            Scope::Country => WHOLE_COUNTRY,
            Scope::Subtree { code, .. } => code,
        }
    }
}

/// An authenticated user (or the demo's anonymous visitor).
#[derive(Debug, Clone)]
pub struct Principal {
    pub subject: String,
    pub name: String,
    pub role: Role,
    pub scope: Scope,
}

impl Principal {
    /// A country-wide administrator acting as the service itself (tests, the demo's anonymous access).
    pub fn system_admin(name: &str) -> Self {
        Principal { subject: format!("system:{name}"), name: name.to_owned(), role: Role::Admin, scope: Scope::Country }
    }

    /// The actor the audit trail records for this user's changes.
    pub fn actor(&self) -> Actor {
        Actor { subject: Some(self.subject.clone()), name: Some(self.name.clone()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_holds_exactly_its_capabilities() {
        use Capability::*;
        let all =
            [ReadFigures, ReadRecords, EditPipeline, EditTree, SetTargets, ReadAudit, IssueTokens, SignOffFigures];
        let held = |role: Role| all.iter().filter(|c| role.can(**c)).copied().collect::<Vec<_>>();
        assert_eq!(held(Role::Dashboard), vec![ReadFigures]);
        assert_eq!(held(Role::Viewer), vec![ReadFigures, ReadRecords]);
        assert_eq!(held(Role::Editor), vec![ReadFigures, ReadRecords, EditPipeline]);
        assert_eq!(held(Role::Admin), all.to_vec());
    }

    #[test]
    fn roles_parse_from_their_names_only() {
        assert_eq!("Editor".parse::<Role>(), Ok(Role::Editor));
        assert!("root".parse::<Role>().is_err());
    }
}
