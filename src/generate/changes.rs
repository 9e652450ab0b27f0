//! Membership changes after admission at the rates a province reports them: of the memberships
//! that end, most by death; transfers out to other provinces and the armed forces next; names
//! deleted, members leaving and expulsions are rare. A few members arrive by transfer in. Each
//! change has its decision by the district committee, as `domain::pipeline::membership_change`
//! writes them.

use chrono::NaiveDate;
use rand::Rng;
use rand::rngs::StdRng;

use super::out::Out;
use super::random::{pick, weighted};
use super::rows::{MEMBERSHIP_CHANGES, V, vocab};
use crate::domain::pipeline::membership_change::kind_code;
use crate::entity::membership_change::{ChangeReason, MembershipChangeKind as Kind};
use crate::entity::vocabulary::MemberStatus;

/// Ended memberships per hundred by kind: died, transferred out, name deleted, left, expelled.
const ENDINGS: [(Kind, u32); 5] =
    [(Kind::Died, 70), (Kind::TransferredOut, 15), (Kind::NameDeleted, 8), (Kind::Left, 4), (Kind::Expelled, 3)];

/// The share of roster members who arrived by a transfer in during the history.
pub(crate) const ARRIVAL_SHARE: f64 = 0.015;

/// How an official member's membership ended: its kind and reason.
pub(crate) fn ending(rng: &mut StdRng) -> (Kind, ChangeReason) {
    let kind = weighted(rng, &ENDINGS);
    let reason = match kind {
        Kind::Died => {
            pick(rng, &[ChangeReason::Illness, ChangeReason::Illness, ChangeReason::OldAge, ChangeReason::Accident])
        }
        Kind::TransferredOut | Kind::TransferredIn => origin(rng),
        Kind::NameDeleted => {
            pick(rng, &[ChangeReason::AbsentFromMeetings, ChangeReason::DuesUnpaid, ChangeReason::LostQualities])
        }
        Kind::Left => ChangeReason::Personal,
        Kind::Expelled => pick(rng, &[ChangeReason::Discipline, ChangeReason::CriminalConviction]),
    };
    (kind, reason)
}

/// Where a transfer goes to or comes from.
pub(crate) fn origin(rng: &mut StdRng) -> ChangeReason {
    let origins = [
        (ChangeReason::OtherProvince, 60),
        (ChangeReason::ArmedForces, 25),
        (ChangeReason::CentralAgencies, 10),
        (ChangeReason::Abroad, 5),
    ];
    weighted(rng, &origins)
}

/// The member's status and `end_reason` after an ending of `kind`, as the domain writes them.
pub(crate) fn ended_status(kind: Kind) -> (MemberStatus, &'static str) {
    (if kind == Kind::NameDeleted { MemberStatus::NameDeleted } else { MemberStatus::Ended }, kind_code(kind))
}

/// One change row.
pub(crate) struct ChangeRow {
    pub id: i64,
    pub member_id: i64,
    pub cell_id: i64,
    pub kind: Kind,
    pub reason: ChangeReason,
    pub on: NaiveDate,
    pub decision_number: String,
    pub deciding_unit_id: i64,
}

/// Writes `row`, decided on its effective date.
pub(crate) fn push(out: &mut Out, row: ChangeRow) {
    let counterpart = matches!(row.kind, Kind::TransferredOut | Kind::TransferredIn).then(|| match row.reason {
        ChangeReason::ArmedForces => "Đảng bộ Quân đội",
        ChangeReason::CentralAgencies => "Đảng bộ Khối các cơ quan Trung ương",
        ChangeReason::Abroad => "Đảng bộ ngoài nước",
        _ => "Đảng bộ tỉnh khác",
    });
    out.rows(&MEMBERSHIP_CHANGES).push([
        V::Int(row.id),
        V::Int(row.member_id),
        vocab(row.kind),
        vocab(row.reason),
        V::Date(row.on),
        V::Int(row.cell_id),
        V::Text(row.decision_number),
        V::Date(row.on),
        V::Int(row.deciding_unit_id),
        counterpart.map_or(V::Null, V::Static),
        V::Null,
        V::Stamp(row.on),
        V::Stamp(row.on),
    ]);
}

/// Whether a member in the roster arrived by transfer in.
pub(crate) fn arrived(rng: &mut StdRng) -> bool {
    rng.random_bool(ARRIVAL_SHARE)
}
