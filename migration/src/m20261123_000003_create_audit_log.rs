//! The append-only audit trail: one row per record a successful mutation changed, written in the
//! mutation's own transaction. Corrections of mistyped records keep their earlier values here.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261123_000001_create_units::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::OccurredAt))
                    .col(string_len_null(AuditLog::ActorSubject, 255))
                    .col(string_len_null(AuditLog::ActorName, 255))
                    .col(string_len(AuditLog::Operation, 64))
                    .col(string_len(AuditLog::EntityType, 32))
                    .col(big_integer(AuditLog::EntityId))
                    .col(big_integer_null(AuditLog::UnitId))
                    .col(big_integer_null(AuditLog::PersonId))
                    .col(text_null(AuditLog::Before))
                    .col(text_null(AuditLog::After))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_audit_entity", AuditLog::Table, &[AuditLog::EntityType, AuditLog::EntityId, AuditLog::Id])
            .await?;
        index(manager, "ix_audit_unit", AuditLog::Table, &[AuditLog::UnitId, AuditLog::OccurredAt]).await?;
        index(manager, "ix_audit_person", AuditLog::Table, &[AuditLog::PersonId, AuditLog::OccurredAt]).await?;
        index(manager, "ix_audit_actor", AuditLog::Table, &[AuditLog::ActorSubject, AuditLog::OccurredAt]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditLog::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum AuditLog {
    Table,
    Id,
    OccurredAt,
    ActorSubject,
    ActorName,
    Operation,
    EntityType,
    EntityId,
    UnitId,
    PersonId,
    Before,
    After,
}
