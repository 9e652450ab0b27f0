//! The organisation tree: units, their dated ancestry (closure table) and their change history.
//!
//! `unit_closure` holds one row per (ancestor, descendant) pair for each interval in which that
//! ancestry held, self-pairs included (depth 0). Every report joins facts to it on the fact's date,
//! so an admission counts toward the ancestors its cell had on the decision date, whatever moves
//! and merges came later; and "every cell under a province today" is one indexed range read.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(big_pk_auto(Units::Id))
                    .col(string_len_uniq(Units::Code, 64))
                    .col(string_len(Units::Name, 255))
                    .col(string_len(Units::NameSearch, 255))
                    .col(string_len(Units::Level, 16))
                    .col(string_len(Units::Kind, 32))
                    .col(big_integer_null(Units::ParentId))
                    .col(date(Units::EstablishedOn))
                    .col(date_null(Units::DissolvedOn))
                    .col(big_integer_null(Units::MergedIntoId))
                    .col(timestamp_with_time_zone(Units::CreatedAt))
                    .col(timestamp_with_time_zone(Units::UpdatedAt))
                    .foreign_key(ForeignKey::create().from(Units::Table, Units::ParentId).to(Units::Table, Units::Id))
                    .foreign_key(
                        ForeignKey::create().from(Units::Table, Units::MergedIntoId).to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Children of a unit in display order (the children connection's keyset).
        index(manager, "ix_units_parent_name", Units::Table, &[Units::ParentId, Units::NameSearch, Units::Id]).await?;
        // Top-level listing (provinces) and level filters in search.
        index(manager, "ix_units_level_name", Units::Table, &[Units::Level, Units::NameSearch, Units::Id]).await?;

        manager
            .create_table(
                Table::create()
                    .table(UnitClosure::Table)
                    .col(big_integer(UnitClosure::AncestorId))
                    .col(big_integer(UnitClosure::DescendantId))
                    .col(small_integer(UnitClosure::Depth))
                    .col(string_len(UnitClosure::DescendantLevel, 16))
                    .col(date(UnitClosure::ValidFrom))
                    .col(date(UnitClosure::ValidTo))
                    .primary_key(
                        Index::create()
                            .col(UnitClosure::AncestorId)
                            .col(UnitClosure::DescendantId)
                            .col(UnitClosure::ValidFrom),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitClosure::Table, UnitClosure::AncestorId)
                            .to(Units::Table, Units::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitClosure::Table, UnitClosure::DescendantId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Subtree by level as of a date: "every cell under this province today".
        index(
            manager,
            "ix_closure_subtree",
            UnitClosure::Table,
            &[UnitClosure::AncestorId, UnitClosure::DescendantLevel, UnitClosure::ValidTo, UnitClosure::DescendantId],
        )
        .await?;
        // Ancestors of a unit (the ancestor path, scope checks) and fact-to-ancestor joins on a date.
        index(
            manager,
            "ix_closure_ancestors",
            UnitClosure::Table,
            &[UnitClosure::DescendantId, UnitClosure::ValidFrom, UnitClosure::ValidTo, UnitClosure::AncestorId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(UnitEvents::Table)
                    .col(big_pk_auto(UnitEvents::Id))
                    .col(big_integer(UnitEvents::UnitId))
                    .col(string_len(UnitEvents::Kind, 32))
                    .col(date(UnitEvents::EffectiveOn))
                    .col(string_len_null(UnitEvents::OldName, 255))
                    .col(string_len_null(UnitEvents::NewName, 255))
                    .col(big_integer_null(UnitEvents::OldParentId))
                    .col(big_integer_null(UnitEvents::NewParentId))
                    .col(big_integer_null(UnitEvents::OtherUnitId))
                    .col(timestamp_with_time_zone(UnitEvents::RecordedAt))
                    .foreign_key(
                        ForeignKey::create().from(UnitEvents::Table, UnitEvents::UnitId).to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_unit_events_unit", UnitEvents::Table, &[UnitEvents::UnitId, UnitEvents::Id]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [UnitEvents::Table.into_iden(), UnitClosure::Table.into_iden(), Units::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

/// Creates a plain (non-unique) index over `columns`.
pub(crate) async fn index<T, C>(manager: &SchemaManager<'_>, name: &str, table: T, columns: &[C]) -> Result<(), DbErr>
where
    T: IntoIden + Clone + 'static,
    C: IntoIden + Clone + 'static,
{
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column.clone());
    }
    manager.create_index(statement).await
}

#[derive(DeriveIden, Clone)]
pub(crate) enum Units {
    Table,
    Id,
    Code,
    Name,
    NameSearch,
    Level,
    Kind,
    ParentId,
    EstablishedOn,
    DissolvedOn,
    MergedIntoId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum UnitClosure {
    Table,
    AncestorId,
    DescendantId,
    Depth,
    DescendantLevel,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden, Clone)]
enum UnitEvents {
    Table,
    Id,
    UnitId,
    Kind,
    EffectiveOn,
    OldName,
    NewName,
    OldParentId,
    NewParentId,
    OtherUnitId,
    RecordedAt,
}
