//! Every rule the system can refuse a request with, declared once: its stable code (clients switch
//! on it), its error kind, the Charter article or guidance it comes from, and a one-line statement
//! in Vietnamese and English that a committee member can check against the source.
//!
//! The table sits on the ground floor beside `error`, not in `domain`, because the one error type
//! names the rule that refused a request, and every layer refuses with it: the domain's Charter
//! checks, the tree's structural rules, `auth`'s token issuing and the API's page sizes. The
//! checks themselves stay where their data is (`domain::pipeline::charter`, `domain::tree`…).
//!
//! A refusal names a variant (`AppError::refused(Rule::AgeBelowMinimum, …)`), never a string, and
//! the README's rule tables are printed from this declaration (`ketnap rules`; a test fails when
//! README differs), as the Rust compiler's error index and Clippy's lint list are.
//!
//! The sources: Điều lệ Đảng (the Party Charter, 2011); Quy định 24-QĐ/TW (2021) on carrying out
//! the Charter, whose points on admission Quy định 232-QĐ/TW (2025) keeps; Hướng dẫn 01-HD/TW
//! (2021) of the Secretariat; Hướng dẫn 12-HD/BTCTW (2022) of the Central Organisation Commission
//! on party-member work. Rules of the system's own records (one pipeline per person, the shape of
//! the tree, page sizes) have no source.

pub mod readme;

/// What kind of error a rule's refusal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// A Charter or pipeline rule refused the change (`RULE_VIOLATION`).
    RuleViolation,
    /// A structural rule of the data refused the input (`VALIDATION`).
    Validation,
}

impl RuleKind {
    /// The `extensions.code` a refusal of this kind carries.
    pub const fn code(self) -> &'static str {
        match self {
            RuleKind::RuleViolation => "RULE_VIOLATION",
            RuleKind::Validation => "VALIDATION",
        }
    }
}

macro_rules! rules {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            code: $code:literal,
            kind: $kind:ident,
            source: $source:expr,
            vi: $vi:literal,
            en: $en:literal $(,)?
        }
    )*) => {
        /// A rule the system refuses requests with (see the module comment).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($(#[$doc])* $variant,)*
        }

        impl Rule {
            /// Every rule, in the order the README lists them.
            pub const ALL: &[Rule] = &[$(Rule::$variant,)*];

            /// The stable name clients read from `extensions.rule`.
            pub const fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)* }
            }

            /// Whether a refusal is a RULE_VIOLATION or a VALIDATION error.
            pub const fn kind(self) -> RuleKind {
                match self { $(Rule::$variant => RuleKind::$kind,)* }
            }

            /// The Charter article or guidance the rule comes from, where one exists.
            pub const fn source(self) -> Option<&'static str> {
                match self { $(Rule::$variant => $source,)* }
            }

            /// The rule in one line of Vietnamese.
            pub const fn statement_vi(self) -> &'static str {
                match self { $(Rule::$variant => $vi,)* }
            }

            /// The rule in one line of English.
            pub const fn statement_en(self) -> &'static str {
                match self { $(Rule::$variant => $en,)* }
            }
        }
    };
}

const AGE: Option<&str> = Some("Điều lệ Đảng, Điều 1 khoản 2; Quy định 24-QĐ/TW, 1.1.1");
const AGE_EXCEPTION: Option<&str> = Some("Quy định 24-QĐ/TW, 1.1.2; Hướng dẫn 01-HD/TW, 1.1");
const ADMISSION_PROCEDURE: Option<&str> = Some("Hướng dẫn 12-HD/BTCTW, phần I mục 1");
const ADMISSION: Option<&str> = Some("Điều lệ Đảng, Điều 4");
const PROBATION: Option<&str> = Some("Điều lệ Đảng, Điều 5 khoản 1");
const RECOGNITION: Option<&str> = Some("Điều lệ Đảng, Điều 5 khoản 2");
const DISCIPLINE: Option<&str> = Some("Điều lệ Đảng, Điều 35 khoản 1");
const DOSSIER: Option<&str> = Some("Hướng dẫn 12-HD/BTCTW, phần I mục 1 (mẫu 1-KNĐ … 8-KNĐ)");
const CONGRESS: Option<&str> =
    Some("Chỉ thị 36-CT/TW (2014), 35-CT/TW (2019), 45-CT/TW (2025) về đại hội đảng bộ các cấp");

rules! {
    /// Tuổi đời tối thiểu — the candidate is at least full 18 at the decision.
    AgeBelowMinimum {
        code: "AGE_BELOW_MINIMUM",
        kind: RuleViolation,
        source: AGE,
        vi: "Người vào Đảng phải đủ 18 tuổi (tính theo tháng) vào ngày quyết định kết nạp.",
        en: "The candidate is full 18 years old, counted in whole months, on the admission decision date.",
    }
    /// Over full 60 only by exception.
    AgeAboveMaximum {
        code: "AGE_ABOVE_MAXIMUM",
        kind: RuleViolation,
        source: AGE_EXCEPTION,
        vi: "Người trên 60 tuổi chỉ được kết nạp khi cấp ủy trực thuộc Trung ương quyết định; số văn bản ghi vào `exceptionReference`.",
        en: "A candidate over full 60 years is admitted only by decision of a committee directly under the Central Committee, recorded as `exceptionReference`.",
    }
    /// Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng — the awareness-class certificate.
    AwarenessCertificateMissing {
        code: "AWARENESS_CERTIFICATE_MISSING",
        kind: RuleViolation,
        source: ADMISSION_PROCEDURE,
        vi: "Người vào Đảng phải có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng, cấp trước ngày quyết định.",
        en: "The candidate holds the certificate of a completed awareness class, dated on or before the decision.",
    }
    /// The certificate is valid 60 months.
    AwarenessCertificateExpired {
        code: "AWARENESS_CERTIFICATE_EXPIRED",
        kind: RuleViolation,
        source: ADMISSION_PROCEDURE,
        vi: "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng còn giá trị (60 tháng kể từ ngày cấp) vào ngày quyết định.",
        en: "The awareness certificate is still valid (60 months from its date) on the decision date.",
    }
    /// Người giới thiệu — two introducers, or one and the Youth Union committee.
    IntroducersRequired {
        code: "INTRODUCERS_REQUIRED",
        kind: RuleViolation,
        source: ADMISSION,
        vi: "Người vào Đảng được hai đảng viên chính thức giới thiệu; đoàn viên thì một đảng viên và nghị quyết của ban chấp hành đoàn cơ sở.",
        en: "Two official members introduce the candidate; for a Youth Union member, one member and the grassroots Youth Union committee's resolution.",
    }
    /// The two introducers are two people.
    IntroducersNotDistinct {
        code: "INTRODUCERS_NOT_DISTINCT",
        kind: RuleViolation,
        source: ADMISSION,
        vi: "Hai người giới thiệu phải là hai đảng viên khác nhau.",
        en: "The two introducers are two different members.",
    }
    /// A guard: a member is refused earlier as `ALREADY_MEMBER`.
    IntroducerIsCandidate {
        code: "INTRODUCER_IS_CANDIDATE",
        kind: RuleViolation,
        source: ADMISSION,
        vi: "Người vào Đảng không thể tự giới thiệu mình.",
        en: "A candidate cannot introduce themselves (a guard: a member is refused earlier as `ALREADY_MEMBER`).",
    }
    /// Introducers are official members on the decision date.
    IntroducerNotOfficial {
        code: "INTRODUCER_NOT_OFFICIAL",
        kind: RuleViolation,
        source: ADMISSION,
        vi: "Người giới thiệu phải là đảng viên chính thức vào ngày quyết định kết nạp.",
        en: "Each introducer is an official member on the decision date.",
    }
    /// Introducers have worked with the candidate for 12 months.
    IntroducerTenure {
        code: "INTRODUCER_TENURE",
        kind: RuleViolation,
        source: ADMISSION,
        vi: "Người giới thiệu phải cùng công tác với người vào Đảng ít nhất 12 tháng.",
        en: "Each introducer has worked with the candidate for at least 12 months.",
    }
    /// Admission is from the source pool.
    NotInSource {
        code: "NOT_IN_SOURCE",
        kind: RuleViolation,
        source: None,
        vi: "Chỉ kết nạp quần chúng đang ở trong nguồn của một chi bộ.",
        en: "Only a person in a cell's source pool is admitted.",
    }
    /// Đã là đảng viên — a member is not nominated or admitted again.
    AlreadyMember {
        code: "ALREADY_MEMBER",
        kind: RuleViolation,
        source: None,
        vi: "Người đã là đảng viên thì không được giới thiệu vào nguồn hay kết nạp lại.",
        en: "A party member is not nominated, admitted or loaded as a member again.",
    }
    /// One active pipeline per person.
    ActiveNominationExists {
        code: "ACTIVE_NOMINATION_EXISTS",
        kind: RuleViolation,
        source: None,
        vi: "Mỗi người chỉ ở trong nguồn của một chi bộ tại một thời điểm.",
        en: "A person is in one source pool at a time.",
    }
    /// A person recorded by another committee is linked explicitly, never found by a citizen ID.
    PersonRecordedElsewhere {
        code: "PERSON_RECORDED_ELSEWHERE",
        kind: RuleViolation,
        source: None,
        vi: "Người đã có hồ sơ ở cấp ủy khác chỉ được nhận vào khi cấp ủy mới xác nhận liên kết hồ sơ (linkExistingPerson).",
        en: "A person already recorded by another committee is taken over only by an explicit, audited link (`linkExistingPerson`).",
    }
    /// The deciding committee is above the cell.
    DecidingUnitNotAboveCell {
        code: "DECIDING_UNIT_NOT_ABOVE_CELL",
        kind: RuleViolation,
        source: ADMISSION,
        vi: "Cấp ủy quyết định kết nạp là cấp ủy cấp trên của chi bộ vào ngày quyết định.",
        en: "The deciding committee is one of the cell's superior committees on the decision date.",
    }
    /// A dated event happens where the cell existed.
    UnitNotActiveOnDate {
        code: "UNIT_NOT_ACTIVE_ON_DATE",
        kind: RuleViolation,
        source: None,
        vi: "Đơn vị (chi bộ, với hồ sơ phát triển đảng viên) phải đang tồn tại vào ngày của sự việc.",
        en: "The unit (the cell, for pipeline records) existed (established, not dissolved) on the date of the event.",
    }
    /// Lễ kết nạp — the ceremony follows the decision.
    CeremonyBeforeDecision {
        code: "CEREMONY_BEFORE_DECISION",
        kind: RuleViolation,
        source: PROBATION,
        vi: "Lễ kết nạp được tổ chức vào hoặc sau ngày quyết định kết nạp.",
        en: "The admission ceremony is held on or after the decision date.",
    }
    /// Probation runs from the ceremony, so recognition needs it.
    CeremonyNotRecorded {
        code: "CEREMONY_NOT_RECORDED",
        kind: RuleViolation,
        source: PROBATION,
        vi: "Thời kỳ dự bị tính từ ngày lễ kết nạp, nên phải ghi lễ kết nạp trước khi xét công nhận chính thức.",
        en: "Probation runs from the ceremony, so the ceremony is recorded before recognition.",
    }
    /// Thời kỳ dự bị — 12 months of probation before recognition.
    ProbationNotComplete {
        code: "PROBATION_NOT_COMPLETE",
        kind: RuleViolation,
        source: PROBATION,
        vi: "Chỉ công nhận đảng viên chính thức khi đã hết 12 tháng dự bị kể từ ngày lễ kết nạp.",
        en: "Recognition is decided only after 12 months of probation from the ceremony.",
    }
    /// A decided probation is final.
    AdmissionClosed {
        code: "ADMISSION_CLOSED",
        kind: RuleViolation,
        source: RECOGNITION,
        vi: "Khi đã công nhận chính thức hoặc xóa tên thì không xét lại thời kỳ dự bị.",
        en: "Once recognised or not recognised, the probation is decided and its dates do not change.",
    }
    /// A closed nomination stays closed.
    NominationNotActive {
        code: "NOMINATION_NOT_ACTIVE",
        kind: RuleViolation,
        source: None,
        vi: "Quần chúng đã ra khỏi nguồn hoặc đã được kết nạp thì không thay đổi trong nguồn nữa.",
        en: "A nomination that was closed (removed or admitted) is not changed or removed again.",
    }
    /// Phân công đảng viên giúp đỡ — mentors are official members.
    MentorNotOfficial {
        code: "MENTOR_NOT_OFFICIAL",
        kind: RuleViolation,
        source: None,
        vi: "Đảng viên được phân công theo dõi, giúp đỡ quần chúng phải là đảng viên chính thức.",
        en: "The members assigned to follow and help a candidate are official members.",
    }
    /// A candidate who is also a member cannot mentor their own nomination.
    MentorIsCandidate {
        code: "MENTOR_IS_CANDIDATE",
        kind: RuleViolation,
        source: None,
        vi: "Quần chúng không thể tự theo dõi, giúp đỡ chính mình.",
        en: "A candidate cannot be their own mentor.",
    }
    /// Results are for enrolled people.
    NotEnrolled {
        code: "NOT_ENROLLED",
        kind: RuleViolation,
        source: None,
        vi: "Chỉ ghi kết quả cho người đã ghi danh vào lớp.",
        en: "Results are recorded only for people enrolled in the class.",
    }
    /// Completing an awareness class gives a certificate.
    CertificateRequired {
        code: "CERTIFICATE_REQUIRED",
        kind: RuleViolation,
        source: ADMISSION_PROCEDURE,
        vi: "Hoàn thành lớp bồi dưỡng nhận thức về Đảng phải có số và ngày giấy chứng nhận.",
        en: "Completing an awareness class is recorded with the certificate's number and date.",
    }
    /// Chuyển sinh hoạt đảng — a transfer moves forward in time.
    TransferBeforeArrival {
        code: "TRANSFER_BEFORE_ARRIVAL",
        kind: RuleViolation,
        source: None,
        vi: "Ngày chuyển sinh hoạt đảng phải sau ngày đảng viên đến chi bộ hiện tại.",
        en: "A transfer takes effect after the member arrived in the current cell.",
    }
    /// Only current members transfer.
    MembershipEnded {
        code: "MEMBERSHIP_ENDED",
        kind: RuleViolation,
        source: None,
        vi: "Chỉ chuyển sinh hoạt cho người đang là đảng viên.",
        en: "Only a current member is transferred.",
    }
    /// Kỷ luật đảng viên dự bị — a probationary member is reprimanded or warned, never expelled.
    ExpulsionOfProbationary {
        code: "EXPULSION_OF_PROBATIONARY",
        kind: RuleViolation,
        source: DISCIPLINE,
        vi: "Chỉ khai trừ đảng viên chính thức; đảng viên dự bị vi phạm nghiêm trọng thì xóa tên.",
        en: "Only an official member is expelled; a probationary member's serious breach leads to name deletion.",
    }
    /// Each kind of change has its own reasons.
    ChangeReasonForKind {
        code: "CHANGE_REASON_FOR_KIND",
        kind: Validation,
        source: None,
        vi: "Lý do phải thuộc các lý do của loại biến động đảng viên đó.",
        en: "A membership change's reason is one of the reasons its kind allows.",
    }
    /// A change takes effect after the member arrived in the cell.
    ChangeBeforeArrival {
        code: "CHANGE_BEFORE_ARRIVAL",
        kind: RuleViolation,
        source: None,
        vi: "Biến động đảng viên có hiệu lực sau ngày đảng viên đến chi bộ hiện tại.",
        en: "A membership change takes effect after the member arrived in the current cell.",
    }
    /// Số liệu chính thức — a signed-off period is locked until the level above reopens it.
    PeriodSignedOff {
        code: "PERIOD_SIGNED_OFF",
        kind: RuleViolation,
        source: None,
        vi: "Số liệu của kỳ đã ký duyệt không được thay đổi (kể cả ký duyệt lại) cho đến khi cấp trên mở lại kỳ đó.",
        en: "A figure of a signed-off period does not change, and the period is not signed off again, until the approving level reopens it.",
    }
    /// The approval runs up the tree: a unit signs off after approving every unit below it.
    SignOffAwaitsChildren {
        code: "SIGN_OFF_AWAITS_CHILDREN",
        kind: RuleViolation,
        source: None,
        vi: "Cấp ủy chỉ ký duyệt số liệu của kỳ khi đã phê duyệt số liệu của mọi đơn vị trực thuộc.",
        en: "A unit signs off a period only once it has approved the figures of every unit directly below it.",
    }
    /// The level above approves or reopens what was signed off.
    PeriodNotSignedOff {
        code: "PERIOD_NOT_SIGNED_OFF",
        kind: RuleViolation,
        source: None,
        vi: "Cấp trên chỉ phê duyệt số liệu đơn vị đã ký duyệt và chưa được phê duyệt, và chỉ mở lại kỳ đang khóa.",
        en: "The level above approves only figures the unit signed off and that are not yet approved, and reopens only a locked period.",
    }
    /// Figures are signed off once the period is over.
    PeriodNotEnded {
        code: "PERIOD_NOT_ENDED",
        kind: Validation,
        source: None,
        vi: "Chỉ ký duyệt số liệu của kỳ đã kết thúc.",
        en: "Figures are signed off only for a period that has ended.",
    }
    /// Người giới thiệu, người theo dõi giúp đỡ — current members only.
    HelperMembershipEnded {
        code: "HELPER_MEMBERSHIP_ENDED",
        kind: RuleViolation,
        source: ADMISSION,
        vi: "Đảng viên đã từ trần, bị khai trừ, xóa tên, ra khỏi Đảng hoặc chuyển sinh hoạt đi không giới thiệu, không theo dõi giúp đỡ quần chúng.",
        en: "A member who died, was expelled, had the name deleted, left or transferred out neither introduces nor follows a candidate.",
    }
    /// Đại hội mở đầu nhiệm kỳ — held in the year the term is named from.
    CongressOutsideTermYear {
        code: "CONGRESS_OUTSIDE_TERM_YEAR",
        kind: RuleViolation,
        source: CONGRESS,
        vi: "Đại hội nhiệm kỳ được tổ chức trong năm đầu của nhiệm kỳ (đại hội nhiệm kỳ 2020–2025 họp trong năm 2020).",
        en: "A term's congress is held in the year the term is named from (the 2020–2025 congress in 2020).",
    }
    /// Hồ sơ kết nạp — every required form is in the dossier before the decision.
    DossierFormMissing {
        code: "DOSSIER_FORM_MISSING",
        kind: RuleViolation,
        source: DOSSIER,
        vi: "Hồ sơ kết nạp phải có đủ các mẫu bắt buộc, nhận trước ngày quyết định kết nạp.",
        en: "The admission dossier holds every required form, received on or before the decision date.",
    }
    /// Classes are organised above the cell.
    ClassOrganiserLevel {
        code: "CLASS_ORGANISER_LEVEL",
        kind: Validation,
        source: None,
        vi: "Lớp bồi dưỡng do tỉnh, huyện (trung tâm chính trị) hoặc xã tổ chức, không do chi bộ.",
        en: "A class is organised by a province, a district (its political centre) or a commune, not a cell.",
    }
    /// Pipeline records belong to cells.
    NotACell {
        code: "NOT_A_CELL",
        kind: Validation,
        source: None,
        vi: "Nguồn, kết nạp và sinh hoạt đảng gắn với một chi bộ.",
        en: "Nominations, admissions and memberships belong to a cell.",
    }
    /// Each level under the levels it may hang from.
    ParentLevel {
        code: "PARENT_LEVEL",
        kind: Validation,
        source: None,
        vi: "Đơn vị đặt dưới cấp trên đúng cấp: huyện dưới tỉnh, xã dưới huyện hoặc tỉnh, chi bộ dưới xã; tỉnh không có cấp trên.",
        en: "A unit sits under a parent of an allowed level (district under province, commune under district or province, cell under commune); a province has none.",
    }
    /// The kinds each level may have.
    UnitKindForLevel {
        code: "UNIT_KIND_FOR_LEVEL",
        kind: Validation,
        source: None,
        vi: "Loại đơn vị phải phù hợp với cấp của nó.",
        en: "A unit's kind is one its level may have.",
    }
    /// A unit is established after its parent.
    EstablishedBeforeParent {
        code: "ESTABLISHED_BEFORE_PARENT",
        kind: Validation,
        source: None,
        vi: "Đơn vị không thể thành lập trước đơn vị cấp trên của nó.",
        en: "A unit is not established before its parent.",
    }
    /// A guard: levels already refuse a move under a unit's own subtree.
    TreeCycle {
        code: "TREE_CYCLE",
        kind: Validation,
        source: None,
        vi: "Không thể đặt một đơn vị vào dưới chính đơn vị cấp dưới của nó.",
        en: "A unit is not placed inside its own subtree (a guard: levels refuse such a move first).",
    }
    /// History is append-only.
    ChangeBeforeLastChange {
        code: "CHANGE_BEFORE_LAST_CHANGE",
        kind: Validation,
        source: None,
        vi: "Thay đổi cây tổ chức không có hiệu lực trước lần thay đổi gần nhất của các đơn vị liên quan.",
        en: "A change to the tree does not take effect before the latest change around the units it touches.",
    }
    /// Only units of one level merge.
    MergeLevel {
        code: "MERGE_LEVEL",
        kind: Validation,
        source: None,
        vi: "Chỉ hợp nhất các đơn vị cùng cấp.",
        en: "Only units of one level merge.",
    }
    /// A dissolved unit takes no changes.
    UnitDissolved {
        code: "UNIT_DISSOLVED",
        kind: Validation,
        source: None,
        vi: "Đơn vị đã giải thể thì không thay đổi, không nhận đơn vị hay chỉ tiêu mới.",
        en: "A dissolved unit is not changed, given units or given targets.",
    }
    /// A unit is dissolved once empty.
    UnitNotEmpty {
        code: "UNIT_NOT_EMPTY",
        kind: Validation,
        source: None,
        vi: "Chỉ giải thể đơn vị khi không còn đơn vị trực thuộc hay đảng viên đang sinh hoạt.",
        en: "A unit is dissolved only when no active unit or current member remains under it.",
    }
    /// The CCCD's digits agree with the person.
    CitizenIdStructure {
        code: "CITIZEN_ID_STRUCTURE",
        kind: Validation,
        source: None,
        vi: "Số căn cước công dân gồm mã tỉnh nơi đăng ký khai sinh (001–096), mã thế kỷ và giới tính, hai số cuối năm sinh và sáu số ngẫu nhiên, khớp với giới tính và ngày sinh.",
        en: "A citizen ID is a province code (001–096), a century-and-gender digit and the last two digits of the birth year, agreeing with the person's gender and date of birth, then six serial digits.",
    }
    /// Relay pages are 1 to 100 long.
    PageSize {
        code: "PAGE_SIZE",
        kind: Validation,
        source: None,
        vi: "Mỗi trang danh sách có từ 1 đến 100 mục.",
        en: "A page (`first` or `last`) holds 1 to 100 items.",
    }
    /// A Relay page is counted from one end: `first` or `last`, not both (the spec discourages it).
    PageDirection {
        code: "PAGE_DIRECTION",
        kind: Validation,
        source: None,
        vi: "Mỗi trang đếm từ một đầu danh sách: `first` hoặc `last`, không dùng cả hai.",
        en: "A page is counted from one end of the list: `first` or `last`, not both.",
    }
    /// A server verifying an identity provider's tokens signs none.
    TokensFromIdentityProvider {
        code: "TOKENS_FROM_IDENTITY_PROVIDER",
        kind: Validation,
        source: None,
        vi: "Máy chủ dùng token của nhà cung cấp định danh thì không tự cấp token.",
        en: "A server that verifies an identity provider's tokens does not issue any.",
    }
}

impl Rule {
    /// The rule with this stable code, if there is one.
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.code() == code)
    }
}

#[cfg(test)]
mod tests;
