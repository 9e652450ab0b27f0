//! Who is in the demo pipeline: the official members who mentor and introduce, the classes, and
//! the candidates at every stage — in Trà Nú's village and school cells (Xơ Đăng, the Ca Dong of
//! Bắc Trà My, with Co and Kinh teachers), Chi bộ bản San Súi in Xá Nhè (Mông) and Chi bộ thôn
//! Đông Yên in Núi Thành (Kinh).
//!
//! Every date is a number of days before today, so that the probation windows stay "due soon"
//! and "overdue" whenever the demo is created. The timelines keep every Charter rule: ages 18 to
//! 60 at the decision (one recorded exception), a certificate less than 60 months old, introducers
//! official and working with the candidate for more than 12 months, recognition after probation.

use crate::entity::nomination::{NominatingBody as By, RemovalReason};
use crate::entity::person::{Gender, ProfessionalEducation as Training};
use crate::entity::person::{GeneralEducation as School, Occupation as Job, PoliticalTheory as Theory};

use Gender::{Female as F, Male as M};

/// Chi bộ thôn 1, xã Trà Nú.
const TRA_NU_1: &str = "QNM.BTM.TRANU.C01";
/// Chi bộ thôn 2, xã Trà Nú.
const TRA_NU_2: &str = "QNM.BTM.TRANU.C02";
/// Chi bộ Trường PTDTBT TH Trà Nú.
const TRA_NU_SCHOOL: &str = "QNM.BTM.TRANU.C06";
/// Chi bộ bản San Súi, xã Xá Nhè.
const SAN_SUI: &str = "DBN.TCH.XANHE.C01";
/// Chi bộ thôn Đông Yên, xã Tam Nghĩa.
const DONG_YEN: &str = "QNM.NTH.TAMNGHIA.C01";

/// A person's profile, with the defaults of a villager and a few setters.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    pub name: &'static str,
    pub gender: Gender,
    /// Age today, in years and months.
    pub age: (u32, u32),
    pub ethnicity: &'static str,
    pub occupation: Job,
    pub schooling: School,
    pub training: Training,
    pub theory: Theory,
    pub position: Option<&'static str>,
    /// The last six digits of the citizen ID (căn cước công dân); none where the cell has not
    /// recorded it yet.
    pub id_serial: Option<u32>,
}

impl Profile {
    const fn new(name: &'static str, gender: Gender, age: (u32, u32), ethnicity: &'static str, job: Job) -> Self {
        Profile {
            name,
            gender,
            age,
            ethnicity,
            occupation: job,
            schooling: School::UpperSecondary,
            training: Training::None,
            theory: Theory::None,
            position: None,
            id_serial: None,
        }
    }

    const fn school(mut self, schooling: School) -> Self {
        self.schooling = schooling;
        self
    }

    const fn trained(mut self, training: Training) -> Self {
        self.training = training;
        self
    }

    const fn theory(mut self, theory: Theory) -> Self {
        self.theory = theory;
        self
    }

    const fn position(mut self, position: &'static str) -> Self {
        self.position = Some(position);
        self
    }

    const fn id(mut self, serial: u32) -> Self {
        self.id_serial = Some(serial);
        self
    }
}

/// An official member loaded as from a roster, admitted `party_years` ago.
pub struct Official {
    pub cell: &'static str,
    pub party_years: u32,
    pub profile: Profile,
}

const fn official(cell: &'static str, party_years: u32, profile: Profile) -> Official {
    Official { cell, party_years, profile }
}

pub const OFFICIALS: &[Official] = &[
    official(
        TRA_NU_1,
        28,
        Profile::new("Hồ Văn Lượng", M, (54, 3), "Xơ Đăng", Job::VillageHead)
            .school(School::LowerSecondary)
            .theory(Theory::Intermediate)
            .position("Bí thư Chi bộ, Trưởng thôn 1")
            .id(102468),
    ),
    official(
        TRA_NU_1,
        15,
        Profile::new("Hồ Thị Thanh", F, (41, 7), "Xơ Đăng", Job::Farmer)
            .school(School::LowerSecondary)
            .theory(Theory::Elementary)
            .position("Chi hội trưởng Chi hội Phụ nữ thôn 1"),
    ),
    official(
        TRA_NU_2,
        20,
        Profile::new("Đinh Văn Nhơn", M, (47, 1), "Xơ Đăng", Job::CivilServant)
            .trained(Training::Vocational)
            .theory(Theory::Intermediate)
            .position("Bí thư Chi bộ thôn 2")
            .id(100731),
    ),
    official(
        TRA_NU_2,
        12,
        Profile::new("Hồ Văn Thơ", M, (38, 9), "Xơ Đăng", Job::Militia)
            .school(School::LowerSecondary)
            .theory(Theory::Elementary)
            .position("Thôn đội trưởng")
            .id(103315),
    ),
    official(
        TRA_NU_SCHOOL,
        22,
        Profile::new("Nguyễn Văn Hùng", M, (47, 5), "Kinh", Job::Teacher)
            .trained(Training::University)
            .theory(Theory::Intermediate)
            .position("Hiệu trưởng, Bí thư Chi bộ")
            .id(3579),
    ),
    official(
        TRA_NU_SCHOOL,
        9,
        Profile::new("Trần Thị Lan", F, (36, 2), "Kinh", Job::Teacher).trained(Training::University).id(4410),
    ),
    official(
        SAN_SUI,
        25,
        Profile::new("Giàng A Dình", M, (52, 4), "Mông", Job::VillageHead)
            .school(School::LowerSecondary)
            .theory(Theory::Elementary)
            .position("Bí thư Chi bộ, Trưởng bản San Súi")
            .id(200114),
    ),
    official(
        SAN_SUI,
        13,
        Profile::new("Sùng A Páo", M, (40, 11), "Mông", Job::Militia)
            .school(School::LowerSecondary)
            .position("Bản đội trưởng"),
    ),
    official(
        SAN_SUI,
        8,
        Profile::new("Vàng Thị Mai", F, (35, 6), "Mông", Job::Teacher)
            .trained(Training::College)
            .position("Giáo viên điểm trường San Súi")
            .id(201876),
    ),
    official(
        DONG_YEN,
        32,
        Profile::new("Nguyễn Văn Tám", M, (58, 8), "Kinh", Job::CivilServant)
            .trained(Training::University)
            .theory(Theory::Intermediate)
            .position("Bí thư Chi bộ thôn Đông Yên")
            .id(1234),
    ),
    official(
        DONG_YEN,
        20,
        Profile::new("Trần Thị Thu Hà", F, (46, 3), "Kinh", Job::Teacher).trained(Training::College).id(4567),
    ),
    official(
        DONG_YEN,
        14,
        Profile::new("Lê Văn Phúc", M, (41, 10), "Kinh", Job::VillageHead)
            .theory(Theory::Elementary)
            .position("Trưởng thôn Đông Yên")
            .id(7890),
    ),
];

/// An awareness class (lớp bồi dưỡng nhận thức về Đảng): its organiser's code, and its days.
pub struct DemoClass {
    pub organiser: &'static str,
    pub title: &'static str,
    pub place: &'static str,
    /// Days before today that it started; it lasts `days` days.
    pub starts: u32,
    pub days: u32,
    /// The certificates' numbering, after the serial number ("17/GCN-TTCT").
    pub certificate: &'static str,
}

pub const CLASSES: &[DemoClass] = &[
    DemoClass {
        organiser: "QNM.BTM",
        title: "Lớp bồi dưỡng nhận thức về Đảng cho quần chúng ưu tú các xã vùng cao",
        place: "Trung tâm Chính trị huyện Bắc Trà My",
        starts: 1200,
        days: 5,
        certificate: "GCN-TTCT",
    },
    DemoClass {
        organiser: "QNM.BTM",
        title: "Lớp bồi dưỡng nhận thức về Đảng cho đoàn viên thanh niên, quần chúng ưu tú",
        place: "Trung tâm Chính trị huyện Bắc Trà My",
        starts: 300,
        days: 5,
        certificate: "GCN-TTCT",
    },
    DemoClass {
        organiser: "DBN.TCH.XANHE",
        title: "Lớp cảm tình Đảng xã Xá Nhè",
        place: "Hội trường Đảng ủy xã Xá Nhè",
        starts: 960,
        days: 4,
        certificate: "GCN-ĐU",
    },
    DemoClass {
        organiser: "QNM.NTH",
        title: "Lớp bồi dưỡng nhận thức về Đảng",
        place: "Trung tâm Chính trị huyện Núi Thành",
        starts: 1020,
        days: 5,
        certificate: "GCN-TTCT",
    },
    // Running now: its people are enrolled, with no result yet.
    DemoClass {
        organiser: "QNM.NTH.TAMNGHIA",
        title: "Lớp đối tượng kết nạp Đảng xã Tam Nghĩa",
        place: "Hội trường Đảng ủy xã Tam Nghĩa",
        starts: 3,
        days: 6,
        certificate: "GCN-ĐU",
    },
];

/// How an admission (kết nạp) went: the decision of the cell's district committee, the ceremony,
/// and what was decided after probation.
#[derive(Debug, Clone, Copy)]
pub struct Admission {
    pub number: &'static str,
    pub decided: u32,
    pub ceremony: u32,
    /// Official members named in `OFFICIALS`; they have worked with the candidate since a year
    /// before the nomination.
    pub introducers: &'static [&'static str],
    /// The Youth Union committee's resolution standing in for one introducer, and its day.
    pub youth_union: Option<(&'static str, u32)>,
    /// An approval of an exception to a rule (admission over 60), and why.
    pub exception: Option<(&'static str, &'static str)>,
    pub then: Outcome,
}

/// What followed the probation.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    OnProbation,
    Recognised { number: &'static str, on: u32 },
    NotRecognised { number: &'static str, on: u32, reason: &'static str },
}

const fn admitted(
    number: &'static str,
    decided: u32,
    ceremony: u32,
    introducers: &'static [&'static str],
) -> Admission {
    Admission { number, decided, ceremony, introducers, youth_union: None, exception: None, then: Outcome::OnProbation }
}

impl Admission {
    const fn recognised(mut self, number: &'static str, on: u32) -> Stage {
        self.then = Outcome::Recognised { number, on };
        Stage::Admitted(self)
    }

    const fn name_deleted(mut self, number: &'static str, on: u32, reason: &'static str) -> Stage {
        self.then = Outcome::NotRecognised { number, on, reason };
        Stage::Admitted(self)
    }

    const fn on_probation(self) -> Stage {
        Stage::Admitted(self)
    }
}

/// Where a candidate stands today.
#[derive(Debug, Clone, Copy)]
pub enum Stage {
    /// In the source pool, followed by mentors: with a class, holding its certificate.
    InSource,
    /// In the source pool and enrolled in the class, which has no result yet.
    Enrolled,
    /// Taken out of the source pool `on` days ago.
    Removed {
        on: u32,
        reason: RemovalReason,
        note: &'static str,
    },
    Admitted(Admission),
}

/// A citizen put into a cell's source pool `nominated` days ago by `body`, with mentors named in
/// `OFFICIALS`, and the class of `CLASSES` they attended.
pub struct Candidate {
    pub cell: &'static str,
    pub profile: Profile,
    pub body: By,
    pub nominated: u32,
    pub mentors: &'static [&'static str],
    pub class: Option<usize>,
    pub stage: Stage,
}

const LUONG_THANH: &[&str] = &["Hồ Văn Lượng", "Hồ Thị Thanh"];
const NHON_THO: &[&str] = &["Đinh Văn Nhơn", "Hồ Văn Thơ"];
const SCHOOL: &[&str] = &["Nguyễn Văn Hùng", "Trần Thị Lan"];
const DINH_PAO: &[&str] = &["Giàng A Dình", "Sùng A Páo"];
const MAI_PAO: &[&str] = &["Vàng Thị Mai", "Sùng A Páo"];
const TAM_HA: &[&str] = &["Nguyễn Văn Tám", "Trần Thị Thu Hà"];
const TAM_PHUC: &[&str] = &["Nguyễn Văn Tám", "Lê Văn Phúc"];

pub const CANDIDATES: &[Candidate] = &[
    // Trà Nú: the Bắc Trà My district committee (Huyện ủy) decides.
    Candidate {
        cell: TRA_NU_1,
        profile: Profile::new("Hồ Văn Dũng", M, (31, 2), "Xơ Đăng", Job::YouthUnionOfficer)
            .position("Bí thư Chi đoàn thôn 1")
            .id(105521),
        body: By::YouthUnion,
        nominated: 1300,
        mentors: LUONG_THANH,
        class: Some(0),
        stage: admitted("318-QĐ/HU", 1000, 990, LUONG_THANH).recognised("402-QĐ/HU", 600),
    },
    Candidate {
        cell: TRA_NU_2,
        profile: Profile::new("Hồ Thị Hiền", F, (27, 5), "Xơ Đăng", Job::Farmer)
            .school(School::LowerSecondary)
            .id(107702),
        body: By::WomensUnion,
        nominated: 1300,
        mentors: NHON_THO,
        class: Some(0),
        stage: admitted("331-QĐ/HU", 950, 940, NHON_THO).recognised("415-QĐ/HU", 560),
    },
    Candidate {
        cell: TRA_NU_2,
        profile: Profile::new("Đinh Văn Quang", M, (35, 0), "Xơ Đăng", Job::Farmer).school(School::Primary).id(101943),
        body: By::Cell,
        nominated: 1300,
        mentors: &["Đinh Văn Nhơn"],
        class: Some(0),
        // The reason stays short: the membership keeps it too, in a column of 32 characters.
        stage: admitted("342-QĐ/HU", 900, 890, NHON_THO).name_deleted(
            "421-QĐ/HU",
            500,
            "Không hoàn thành nhiệm vụ dự bị",
        ),
    },
    Candidate {
        cell: TRA_NU_1,
        profile: Profile::new("Hồ Văn Tiến", M, (29, 8), "Xơ Đăng", Job::Militia).school(School::LowerSecondary),
        body: By::Cell,
        nominated: 1250,
        mentors: &["Hồ Văn Lượng"],
        class: Some(0),
        // Probation ended about five weeks ago: overdue for recognition.
        stage: admitted("467-QĐ/HU", 410, 400, LUONG_THANH).on_probation(),
    },
    Candidate {
        cell: TRA_NU_SCHOOL,
        profile: Profile::new("Hồ Thị Liên", F, (26, 1), "Co", Job::Teacher).trained(Training::College).id(109035),
        body: By::TradeUnion,
        nominated: 1250,
        mentors: SCHOOL,
        class: Some(0),
        // Probation ends in about two weeks.
        stage: admitted("471-QĐ/HU", 358, 351, SCHOOL).on_probation(),
    },
    Candidate {
        cell: TRA_NU_SCHOOL,
        profile: Profile::new("Nguyễn Thị Thảo", F, (25, 4), "Kinh", Job::Teacher)
            .trained(Training::University)
            .id(6120),
        body: By::YouthUnion,
        nominated: 500,
        mentors: &["Trần Thị Lan"],
        class: Some(1),
        stage: admitted("512-QĐ/HU", 120, 110, SCHOOL).on_probation(),
    },
    Candidate {
        cell: TRA_NU_2,
        profile: Profile::new("Hồ Văn Khải", M, (20, 4), "Xơ Đăng", Job::Farmer)
            .position("Phó Bí thư Chi đoàn thôn 2")
            .id(110062),
        body: By::YouthUnion,
        nominated: 480,
        mentors: &["Hồ Văn Thơ"],
        class: Some(1),
        // A Youth Union member: the commune Youth Union committee's resolution stands in for
        // one of the two introducers.
        stage: Stage::Admitted(Admission {
            youth_union: Some(("12-NQ/ĐTN", 200)),
            ..admitted("498-QĐ/HU", 180, 173, &["Hồ Văn Thơ"])
        }),
    },
    Candidate {
        cell: TRA_NU_1,
        profile: Profile::new("Đinh Thị Lệ", F, (23, 6), "Xơ Đăng", Job::Farmer).id(111290),
        body: By::WomensUnion,
        nominated: 450,
        mentors: &["Hồ Thị Thanh"],
        class: Some(1),
        stage: Stage::InSource,
    },
    Candidate {
        cell: TRA_NU_2,
        profile: Profile::new("Hồ Văn Sang", M, (22, 3), "Xơ Đăng", Job::Militia).school(School::LowerSecondary),
        body: By::YouthUnion,
        nominated: 90,
        mentors: NHON_THO,
        class: None,
        stage: Stage::InSource,
    },
    Candidate {
        cell: TRA_NU_1,
        profile: Profile::new("Hồ Văn Tài", M, (28, 10), "Xơ Đăng", Job::Worker).id(108817),
        body: By::Cell,
        nominated: 1300,
        mentors: &["Hồ Văn Lượng"],
        class: Some(0),
        stage: Stage::Removed {
            on: 800,
            reason: RemovalReason::MovedAway,
            note: "Đi làm công nhân tại tỉnh Bình Dương",
        },
    },
    // San Súi: the Tủa Chùa district committee decides.
    Candidate {
        cell: SAN_SUI,
        profile: Profile::new("Mùa A Sử", M, (34, 2), "Mông", Job::YouthUnionOfficer)
            .position("Bí thư Chi đoàn bản San Súi")
            .id(204410),
        body: By::YouthUnion,
        nominated: 1100,
        mentors: DINH_PAO,
        class: Some(2),
        stage: admitted("1024-QĐ/HU", 800, 793, DINH_PAO).recognised("1187-QĐ/HU", 400),
    },
    Candidate {
        cell: SAN_SUI,
        profile: Profile::new("Thào Thị Chá", F, (27, 0), "Mông", Job::Farmer)
            .school(School::LowerSecondary)
            .id(205532),
        body: By::WomensUnion,
        nominated: 1100,
        mentors: &["Vàng Thị Mai"],
        class: Some(2),
        // Probation ended about two months ago: overdue for recognition.
        stage: admitted("1139-QĐ/HU", 440, 430, MAI_PAO).on_probation(),
    },
    Candidate {
        cell: SAN_SUI,
        profile: Profile::new("Lầu A Chứ", M, (30, 5), "Mông", Job::Farmer).school(School::Primary),
        body: By::Cell,
        nominated: 1100,
        mentors: &["Sùng A Páo"],
        class: Some(2),
        stage: Stage::Removed {
            on: 600,
            reason: RemovalReason::NoLongerMeetsStandards,
            note: "Vi phạm hương ước của bản",
        },
    },
    Candidate {
        cell: SAN_SUI,
        profile: Profile::new("Lý A Sình", M, (24, 7), "Mông", Job::Militia).school(School::LowerSecondary).id(206671),
        body: By::YouthUnion,
        nominated: 1000,
        mentors: &["Sùng A Páo"],
        class: Some(2),
        stage: Stage::InSource,
    },
    Candidate {
        cell: SAN_SUI,
        profile: Profile::new("Hạng Thị Dợ", F, (21, 1), "Mông", Job::Farmer).school(School::LowerSecondary),
        body: By::YouthUnion,
        nominated: 60,
        mentors: &["Vàng Thị Mai"],
        class: None,
        stage: Stage::InSource,
    },
    // Đông Yên: the Núi Thành district committee decides.
    Candidate {
        cell: DONG_YEN,
        profile: Profile::new("Lê Thị Hồng", F, (33, 9), "Kinh", Job::EnterpriseEmployee)
            .trained(Training::Vocational)
            .id(8832),
        body: By::TradeUnion,
        nominated: 1150,
        mentors: TAM_HA,
        class: Some(3),
        stage: admitted("2207-QĐ/HU", 850, 843, TAM_HA).recognised("2391-QĐ/HU", 470),
    },
    Candidate {
        cell: DONG_YEN,
        profile: Profile::new("Trần Văn Bốn", M, (62, 7), "Kinh", Job::Other)
            .school(School::LowerSecondary)
            .position("Hội viên Hội Cựu chiến binh thôn Đông Yên")
            .id(2019),
        body: By::VeteransAssociation,
        nominated: 1100,
        mentors: &["Nguyễn Văn Tám"],
        class: Some(3),
        // Over 60 at the decision: admitted with the central level's approval on record.
        stage: Stage::Admitted(Admission {
            exception: Some((
                "1532-CV/BTCTW",
                "Ban Tổ chức Trung ương đồng ý kết nạp quần chúng trên 60 tuổi (cựu chiến binh)",
            )),
            ..admitted("2466-QĐ/HU", 240, 233, TAM_PHUC)
        }),
    },
    Candidate {
        cell: DONG_YEN,
        profile: Profile::new("Huỳnh Văn Nam", M, (26, 4), "Kinh", Job::Worker).id(9914),
        body: By::YouthUnion,
        nominated: 1150,
        mentors: &["Lê Văn Phúc"],
        class: Some(3),
        stage: Stage::Removed {
            on: 700,
            reason: RemovalReason::MovedAway,
            note: "Vào làm việc tại Thành phố Hồ Chí Minh",
        },
    },
    Candidate {
        cell: DONG_YEN,
        profile: Profile::new("Phạm Văn Long", M, (24, 2), "Kinh", Job::Militia).id(12458),
        body: By::YouthUnion,
        nominated: 200,
        mentors: &["Lê Văn Phúc"],
        class: Some(4),
        stage: Stage::Enrolled,
    },
    Candidate {
        cell: DONG_YEN,
        profile: Profile::new("Võ Thị Hạnh", F, (28, 6), "Kinh", Job::Teacher).trained(Training::College).id(13307),
        body: By::WomensUnion,
        nominated: 150,
        mentors: &["Trần Thị Thu Hà"],
        class: Some(4),
        stage: Stage::Enrolled,
    },
    Candidate {
        cell: DONG_YEN,
        profile: Profile::new("Nguyễn Thị Bích", F, (30, 11), "Kinh", Job::BusinessOwner).position("Chủ hộ kinh doanh"),
        body: By::WomensUnion,
        nominated: 45,
        mentors: TAM_HA,
        class: None,
        stage: Stage::InSource,
    },
];
