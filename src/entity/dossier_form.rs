//! `dossier_forms` — a form of a candidate's admission dossier (hồ sơ kết nạp) and when it came in.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::vocabulary::vocabulary;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "dossier_forms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub form: DossierForm,
    /// The day the form was received.
    pub received_on: Date,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

vocabulary! {
    /// A standard form of the admission dossier (Hướng dẫn 12-HD/BTCTW); when each is required
    /// is `domain::dossier::FORMS`.
    DossierForm {
        /// 1-KNĐ — Đơn xin vào Đảng, the application.
        Application,
        /// 2-KNĐ — Lý lịch của người xin vào Đảng, the background declaration.
        BackgroundDeclaration,
        /// Thẩm tra lý lịch — the verification of the background declaration.
        BackgroundVerification,
        /// 3-KNĐ — Giấy giới thiệu người vào Đảng, the introducers' letters.
        IntroducersLetters,
        /// 4-KNĐ — Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng, the Youth Union's resolution.
        YouthUnionResolution,
        /// 5-KNĐ — Nghị quyết giới thiệu đoàn viên công đoàn ưu tú vào Đảng, the trade union's.
        TradeUnionResolution,
        /// 6-KNĐ — Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú, the opinions gathered.
        ResidenceOpinions,
        /// 7-KNĐ — Nghị quyết đề nghị kết nạp của chi bộ, the cell's resolution.
        CellResolution,
        /// 8-KNĐ — Nghị quyết của đảng ủy cơ sở xét, đề nghị kết nạp, the grassroots committee's proposal.
        GrassrootsProposal,
    }
}
