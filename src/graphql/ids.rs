//! Opaque global IDs (`Node.id`): the kind of object and its row id, base64url-encoded, so that
//! clients treat them as opaque and `node(id:)` can find any object.

use async_graphql::ID;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{AppError, AppResult};

/// The kinds of object that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Unit,
    Person,
    Member,
    Nomination,
    Class,
    Enrolment,
    Admission,
}

impl NodeKind {
    const ALL: [NodeKind; 7] = [
        NodeKind::Unit,
        NodeKind::Person,
        NodeKind::Member,
        NodeKind::Nomination,
        NodeKind::Class,
        NodeKind::Enrolment,
        NodeKind::Admission,
    ];

    fn tag(self) -> &'static str {
        match self {
            NodeKind::Unit => "Unit",
            NodeKind::Person => "Person",
            NodeKind::Member => "Member",
            NodeKind::Nomination => "Nomination",
            NodeKind::Class => "Class",
            NodeKind::Enrolment => "Enrolment",
            NodeKind::Admission => "Admission",
        }
    }
}

/// The global ID of row `id` of `kind`.
pub fn to_global(kind: NodeKind, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.tag())))
}

/// Decodes any global ID; VALIDATION when it is not one of ours.
pub fn from_global(id: &ID) -> AppResult<(NodeKind, i64)> {
    let malformed = || AppError::invalid("id", format!("'{}' is not a valid ID", id.as_str()));
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (tag, number) = text.split_once(':').ok_or_else(malformed)?;
    let kind = NodeKind::ALL.into_iter().find(|kind| kind.tag() == tag).ok_or_else(malformed)?;
    let row = number.parse::<i64>().map_err(|_| malformed())?;
    Ok((kind, row))
}

/// Decodes a global ID that must be of `kind` (the argument is `field`), as the domain's id type
/// (`UnitId`, `PersonId`, …; `i64` for the rows that have none).
pub fn expect<T: From<i64>>(id: &ID, kind: NodeKind, field: &'static str) -> AppResult<T> {
    match from_global(id) {
        Ok((found, row)) if found == kind => Ok(T::from(row)),
        Ok(_) => Err(AppError::invalid(field, format!("'{}' is not the ID of a {}", id.as_str(), kind.tag()))),
        Err(_) => Err(AppError::invalid(field, format!("'{}' is not a valid ID", id.as_str()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_foreign_ids() {
        let id = to_global(NodeKind::Admission, 42);
        assert_eq!(from_global(&id).ok(), Some((NodeKind::Admission, 42)));
        assert!(expect::<crate::ids::UnitId>(&id, NodeKind::Unit, "id").is_err());
        assert_eq!(expect(&id, NodeKind::Admission, "id").ok(), Some(crate::ids::AdmissionId::from(42)));
        assert!(from_global(&ID("not-an-id".into())).is_err());
        assert!(from_global(&ID(URL_SAFE_NO_PAD.encode("Unit:x"))).is_err());
    }
}
