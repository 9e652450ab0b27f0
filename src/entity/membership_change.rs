//! `membership_changes` — a change of a membership after admission, with its decision and reason.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::vocabulary::vocabulary;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "membership_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub kind: MembershipChangeKind,
    pub reason: ChangeReason,
    /// For an ending, the first day the member is not counted; for a transfer in, the first day counted.
    pub effective_on: Date,
    /// The cell left, or the cell joined.
    pub cell_id: i64,
    /// None only for changes recorded before decisions were (backfilled by the migration).
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
    pub deciding_unit_id: Option<i64>,
    /// The organisation transferred to or from.
    pub counterpart: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

vocabulary! {
    /// A change of a membership after admission (tăng / giảm đảng viên).
    MembershipChangeKind {
        /// Từ trần — the member died.
        Died,
        /// Khai trừ — expelled by a disciplinary decision (official members only).
        Expelled,
        /// Xóa tên — the name deleted from the party's lists.
        NameDeleted,
        /// Xin ra khỏi Đảng — left at the member's own request.
        Left,
        /// Chuyển sinh hoạt đảng đi — transferred to an organisation outside this deployment.
        TransferredOut,
        /// Chuyển sinh hoạt đảng đến — transferred in from an organisation outside this deployment.
        TransferredIn,
    }
}

vocabulary! {
    /// Why a membership changed; which reasons go with which kind is `domain::pipeline::membership_change::REASONS`.
    ChangeReason {
        /// Died of illness.
        Illness,
        /// Died in an accident.
        Accident,
        /// Died of old age.
        OldAge,
        /// Expelled for a breach of party discipline.
        Discipline,
        /// Expelled after a criminal conviction.
        CriminalConviction,
        /// A probationary member not recognised as official (không được công nhận chính thức).
        NotRecognised,
        /// Left party activities for 3 months without reason (bỏ sinh hoạt đảng).
        AbsentFromMeetings,
        /// Did not pay dues for 3 months without reason (không đóng đảng phí).
        DuesUnpaid,
        /// No longer meets a member's standards (giảm sút ý chí, không đủ tư cách).
        LostQualities,
        /// The member's own wish, for personal or family reasons.
        Personal,
        /// Another province's or centrally-run city's party organisation.
        OtherProvince,
        /// The armed forces' party organisation (Đảng bộ Quân đội, Công an).
        ArmedForces,
        /// Central agencies' and enterprises' own party organisations.
        CentralAgencies,
        /// A party organisation abroad (đảng viên ở nước ngoài).
        Abroad,
        /// Any other reason, explained in the note.
        Other,
    }
}
