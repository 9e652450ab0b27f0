//! Record ids as types: a `UnitId` cannot be passed where a `PersonId` is meant. The domain's
//! signatures and the GraphQL layer's `Touch` speak in these; the conversions happen only at the
//! edges — `i64` columns of `entity` models (`UnitId::from(model.id)`, `id.get()`), and the
//! GraphQL layer's global IDs (`graphql::ids`).

use std::fmt;
use std::hash::Hash;

/// What every record id is: a copyable, hashable key made from and turned back into its `i64`
/// column, and bound as a statement value; for code that reads rows of any kind by their ids.
pub trait RecordId:
    Copy + Eq + Hash + fmt::Debug + From<i64> + Into<i64> + Into<sea_orm::Value> + Send + Sync + 'static
{
}

macro_rules! record_id {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The database key.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl RecordId for $name {}

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl From<$name> for sea_orm::Value {
            fn from(id: $name) -> Self {
                id.0.into()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

record_id! {
    /// A unit of the organisation tree (`unit.id`).
    UnitId;
    /// A person: candidate, member or mentor (`person.id`).
    PersonId;
    /// A party member's record (`member.id`).
    MemberId;
    /// A nomination of a candidate by a cell (`nomination.id`).
    NominationId;
    /// An admission dossier (`admission.id`).
    AdmissionId;
    /// A person's place in a class (`enrolment.id`).
    EnrolmentId;
    /// A political-theory class (`class.id`).
    ClassId;
    /// A target set for a unit (`target.id`).
    TargetId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_only_through_the_edges() {
        let unit = UnitId::from(7);
        assert_eq!(unit.get(), 7);
        assert_eq!(i64::from(unit), 7);
        assert_eq!(unit.to_string(), "7");
        assert_eq!(sea_orm::Value::from(PersonId::from(3)), sea_orm::Value::from(3_i64));
    }
}
