//! Closed vocabularies: unit levels and kinds, and the categories people, nominations, classes and
//! admissions are recorded and reported by. Stored as the upper-case names shown in the API.

use sea_orm::entity::prelude::*;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum,
            async_graphql::Enum, serde::Serialize, serde::Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)", rename_all = "SCREAMING_SNAKE_CASE")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// The level of a unit in the tree, top to bottom.
    UnitLevel {
        /// Đảng bộ tỉnh — province (or centrally-run city) party organisation.
        Province,
        /// Đảng bộ huyện / thị xã / thành phố — district-level party organisation.
        District,
        /// Đảng bộ cơ sở — grassroots organisation: commune, ward, township, agency, school, enterprise…
        Commune,
        /// Chi bộ — party cell.
        Cell,
    }
}

impl UnitLevel {
    /// The levels a unit of this level may hang under. A commune may sit directly under a
    /// province since the 2025 reform removed the district level of local government.
    pub fn allowed_parents(self) -> &'static [UnitLevel] {
        match self {
            UnitLevel::Province => &[],
            UnitLevel::District => &[UnitLevel::Province],
            UnitLevel::Commune => &[UnitLevel::District, UnitLevel::Province],
            UnitLevel::Cell => &[UnitLevel::Commune],
        }
    }

    /// The kinds a unit of this level may have.
    pub fn allowed_kinds(self) -> &'static [UnitKind] {
        use UnitKind::*;
        match self {
            UnitLevel::Province => &[Province, Municipality],
            UnitLevel::District => &[RuralDistrict, Town, ProvincialCity, UrbanDistrict, Other],
            UnitLevel::Commune => &[Commune, Ward, Township, Agency, School, Enterprise, ArmedForces, Other],
            UnitLevel::Cell => &[Village, School, Police, Military, HealthStation, Agency, Enterprise, Other],
        }
    }
}

vocabulary! {
    /// The kind of a unit; which kinds a level allows is listed on each value.
    UnitKind {
        /// Tỉnh — province (province level).
        Province,
        /// Thành phố trực thuộc Trung ương — centrally-run city (province level).
        Municipality,
        /// Huyện — rural district (district level).
        RuralDistrict,
        /// Thị xã — district-level town, e.g. Điện Bàn (district level).
        Town,
        /// Thành phố thuộc tỉnh — provincial city (district level).
        ProvincialCity,
        /// Quận — urban district (district level).
        UrbanDistrict,
        /// Xã — rural commune (commune level).
        Commune,
        /// Phường — ward (commune level).
        Ward,
        /// Thị trấn — township (commune level).
        Township,
        /// Cơ quan — state agency (commune or cell level).
        Agency,
        /// Trường học — school (commune or cell level).
        School,
        /// Doanh nghiệp — enterprise (commune or cell level).
        Enterprise,
        /// Lực lượng vũ trang — armed forces (commune level).
        ArmedForces,
        /// Thôn, bản, khối phố — village or residential block (cell level).
        Village,
        /// Công an — police (cell level).
        Police,
        /// Quân sự — military (cell level).
        Military,
        /// Trạm y tế — health station (cell level).
        HealthStation,
        /// Khác — other (district, commune or cell level).
        Other,
    }
}

vocabulary! {
    /// What happened to a unit.
    UnitEventKind {
        /// The unit was established.
        Created,
        /// The unit's name changed.
        Renamed,
        /// The unit was placed under another parent.
        Moved,
        /// The unit was dissolved.
        Dissolved,
        /// The unit was merged into another unit (and dissolved).
        MergedInto,
        /// Another unit was merged into this one.
        MergedFrom,
    }
}

vocabulary! {
    /// Giới tính — gender.
    Gender {
        /// Nam.
        Male,
        /// Nữ.
        Female,
    }
}

vocabulary! {
    /// Tôn giáo — religion.
    Religion {
        /// Không — no religion.
        None,
        /// Phật giáo.
        Buddhism,
        /// Công giáo.
        Catholicism,
        /// Tin Lành.
        Protestantism,
        /// Cao Đài.
        CaoDai,
        /// Phật giáo Hòa Hảo.
        HoaHao,
        /// Hồi giáo.
        Islam,
        /// Khác.
        Other,
    }
}

vocabulary! {
    /// Trình độ giáo dục phổ thông — general education completed.
    GeneralEducation {
        /// Tiểu học — primary (5/12).
        Primary,
        /// Trung học cơ sở — lower secondary (9/12).
        LowerSecondary,
        /// Trung học phổ thông — upper secondary (12/12).
        UpperSecondary,
    }
}

vocabulary! {
    /// Trình độ chuyên môn — highest professional qualification.
    ProfessionalEducation {
        /// None.
        None,
        /// Trung cấp, sơ cấp nghề — vocational.
        Vocational,
        /// Cao đẳng — college.
        College,
        /// Đại học — university.
        University,
        /// Sau đại học — postgraduate.
        Postgraduate,
    }
}

vocabulary! {
    /// Trình độ lý luận chính trị — political theory level.
    PoliticalTheory {
        /// None.
        None,
        /// Sơ cấp — elementary.
        Elementary,
        /// Trung cấp — intermediate.
        Intermediate,
        /// Cao cấp — advanced.
        Advanced,
    }
}

vocabulary! {
    /// Nghề nghiệp, vai trò — occupation or role, as reports break admissions down.
    Occupation {
        /// Nông dân — farmer.
        Farmer,
        /// Công nhân — worker.
        Worker,
        /// Trưởng thôn, trưởng bản — village head.
        VillageHead,
        /// Cán bộ Đoàn — youth union officer.
        YouthUnionOfficer,
        /// Giáo viên — teacher.
        Teacher,
        /// Học sinh, sinh viên — pupil or student.
        Student,
        /// Công an — police.
        Police,
        /// Dân quân — militia.
        Militia,
        /// Quân nhân — soldier.
        Military,
        /// Cán bộ, công chức, viên chức — civil servant.
        CivilServant,
        /// Y tế — health worker.
        HealthWorker,
        /// Người lao động doanh nghiệp — enterprise employee.
        EnterpriseEmployee,
        /// Chủ doanh nghiệp, hộ kinh doanh — business owner.
        BusinessOwner,
        /// Khác — other.
        Other,
    }
}

vocabulary! {
    /// The standing of a party membership.
    MemberStatus {
        /// Đảng viên dự bị — probationary member.
        Probationary,
        /// Đảng viên chính thức — official member.
        Official,
        /// Xóa tên — name deleted (not recognised after probation).
        NameDeleted,
        /// The membership ended otherwise (deceased, expelled, left).
        Ended,
    }
}

vocabulary! {
    /// Who put a citizen into a cell's source pool.
    NominatingBody {
        /// Chi bộ — the cell itself.
        Cell,
        /// Đoàn TNCS Hồ Chí Minh — Youth Union.
        YouthUnion,
        /// Hội Liên hiệp Phụ nữ — Women's Union.
        WomensUnion,
        /// Hội Nông dân — Farmers' Union.
        FarmersUnion,
        /// Hội Cựu chiến binh — Veterans' Association.
        VeteransAssociation,
        /// Công đoàn — Trade Union.
        TradeUnion,
        /// Mặt trận Tổ quốc — Fatherland Front.
        FatherlandFront,
        /// Khác — other.
        Other,
    }
}

vocabulary! {
    /// Where a nomination stands.
    NominationStatus {
        /// In the source pool (nguồn), followed by mentors.
        Active,
        /// Admitted to the party.
        Admitted,
        /// Removed from the source (đưa ra khỏi nguồn).
        Removed,
    }
}

vocabulary! {
    /// Why a candidate left the source pool.
    RemovalReason {
        /// Chuyển đi, đi làm ăn xa — moved or working away.
        MovedAway,
        /// Không còn đủ tiêu chuẩn — no longer meets the standards.
        NoLongerMeetsStandards,
        /// Tự nguyện rút — withdrew.
        Withdrew,
        /// Vi phạm chính sách, pháp luật — policy violation.
        PolicyViolation,
        /// Từ trần — deceased.
        Deceased,
        /// Khác — other.
        Other,
    }
}

vocabulary! {
    /// Lớp bồi dưỡng — the kind of a class.
    ClassKind {
        /// Lớp bồi dưỡng nhận thức về Đảng (lớp cảm tình Đảng) — awareness class for candidates.
        Awareness,
        /// Lớp đảng viên mới — political theory class for new members.
        NewMember,
        /// Bồi dưỡng nghiệp vụ — training for cell secretaries and committee members.
        CellLeadership,
    }
}

vocabulary! {
    /// A person's result in a class.
    EnrolmentResult {
        /// Enrolled; no result yet.
        Enrolled,
        /// Attended without a completion result.
        Attended,
        /// Completed; a certificate (giấy chứng nhận) is issued.
        Completed,
        /// Did not complete.
        Failed,
    }
}

vocabulary! {
    /// How an admission ended after probation.
    AdmissionOutcome {
        /// Still probationary (đảng viên dự bị).
        Probationary,
        /// Recognised as an official member (công nhận đảng viên chính thức).
        Recognised,
        /// Not recognised; the name is deleted (xóa tên).
        NotRecognised,
    }
}

vocabulary! {
    /// Which target a figure compares to.
    TargetKind {
        /// Chỉ tiêu được giao — assigned by the level above.
        Assigned,
        /// Chỉ tiêu nghị quyết — the unit's own resolution target, often higher.
        Resolution,
    }
}

vocabulary! {
    /// The period a target covers.
    TargetPeriodKind {
        /// A calendar year (chỉ tiêu hằng năm).
        Year,
        /// A term (nhiệm kỳ), e.g. 2020–2025.
        Term,
    }
}
