//! `membership_changes`: what happened to a membership after admission (domain §2, "tăng / giảm"):
//! died (từ trần), expelled (khai trừ), name deleted (xóa tên), left (xin ra khỏi Đảng), transferred
//! out to or in from an organisation outside this deployment (chuyển sinh hoạt đảng đi / đến). Each
//! row carries its decision (number, date, deciding committee) and a reason; the member's stints
//! say where the member was counted, this table says why a stint began or ended.
//!
//! Memberships that ended before this table existed are backfilled from `members.ended_on`
//! (their decision unknown), so every ended membership has its change.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_units::{Units, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MembershipChanges::Table)
                    .col(big_pk_auto(MembershipChanges::Id))
                    .col(big_integer(MembershipChanges::MemberId))
                    .col(string_len(MembershipChanges::Kind, 24))
                    .col(string_len(MembershipChanges::Reason, 32))
                    .col(date(MembershipChanges::EffectiveOn))
                    .col(big_integer(MembershipChanges::CellId))
                    .col(string_len_null(MembershipChanges::DecisionNumber, 64))
                    .col(date_null(MembershipChanges::DecisionDate))
                    .col(big_integer_null(MembershipChanges::DecidingUnitId))
                    .col(string_len_null(MembershipChanges::Counterpart, 255))
                    .col(text_null(MembershipChanges::Note))
                    .col(timestamp_with_time_zone(MembershipChanges::CreatedAt))
                    .col(timestamp_with_time_zone(MembershipChanges::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(MembershipChanges::Table, MembershipChanges::MemberId)
                            .to(Members::Table, Members::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MembershipChanges::Table, MembershipChanges::CellId)
                            .to(Units::Table, Units::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MembershipChanges::Table, MembershipChanges::DecidingUnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One change of a kind per member and day; the balance figures find a stint's cause by it.
        manager
            .create_index(
                Index::create()
                    .name("ux_membership_changes_member_day")
                    .table(MembershipChanges::Table)
                    .col(MembershipChanges::MemberId)
                    .col(MembershipChanges::EffectiveOn)
                    .col(MembershipChanges::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_membership_changes_cell",
            MembershipChanges::Table,
            &[MembershipChanges::CellId, MembershipChanges::EffectiveOn],
        )
        .await?;
        // Backfill: every membership that already ended gets its change, from the stint it ended.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO membership_changes (member_id, kind, reason, effective_on, cell_id, created_at, updated_at) \
                 SELECT m.id, \
                 CASE WHEN m.status = 'NAME_DELETED' OR m.end_reason = 'NOT_RECOGNISED' THEN 'NAME_DELETED' \
                      WHEN m.end_reason = 'DECEASED' THEN 'DIED' ELSE 'LEFT' END, \
                 CASE WHEN m.end_reason = 'NOT_RECOGNISED' THEN 'NOT_RECOGNISED' ELSE 'OTHER' END, \
                 m.ended_on, s.cell_id, m.updated_at, m.updated_at \
                 FROM members m JOIN member_stints s ON s.member_id = m.id AND s.valid_to = m.ended_on \
                 WHERE m.ended_on IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MembershipChanges::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum Members {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum MembershipChanges {
    Table,
    Id,
    MemberId,
    /// DIED, EXPELLED, NAME_DELETED, LEFT, TRANSFERRED_OUT, TRANSFERRED_IN.
    Kind,
    Reason,
    /// The day the membership ended here (the first day not counted) or began here.
    EffectiveOn,
    /// The cell left, or the cell joined.
    CellId,
    DecisionNumber,
    DecisionDate,
    DecidingUnitId,
    /// The organisation transferred to or from (another province, the armed forces…).
    Counterpart,
    Note,
    CreatedAt,
    UpdatedAt,
}
