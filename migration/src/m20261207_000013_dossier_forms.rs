//! `dossier_forms`: the standard forms of a candidate's admission dossier (hồ sơ kết nạp) and the
//! day each came in, one row per person and form; which forms an admission requires is
//! `domain::dossier::FORMS`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DossierForms::Table)
                    .col(big_pk_auto(DossierForms::Id))
                    .col(big_integer(DossierForms::PersonId))
                    .col(string_len(DossierForms::Form, 32))
                    .col(date(DossierForms::ReceivedOn))
                    .col(text_null(DossierForms::Note))
                    .col(timestamp_with_time_zone(DossierForms::CreatedAt))
                    .col(timestamp_with_time_zone(DossierForms::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DossierForms::Table, DossierForms::PersonId)
                            .to(Persons::Table, Persons::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // One row per person and form; also a list of people's dossiers.
        manager
            .create_index(
                Index::create()
                    .name("ux_dossier_forms_person_form")
                    .table(DossierForms::Table)
                    .col(DossierForms::PersonId)
                    .col(DossierForms::Form)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DossierForms::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone)]
enum Persons {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum DossierForms {
    Table,
    Id,
    PersonId,
    /// APPLICATION, BACKGROUND_DECLARATION, … (`DossierForm`).
    Form,
    ReceivedOn,
    Note,
    CreatedAt,
    UpdatedAt,
}
