//! The Vietnamese words committees write for each closed vocabulary of the roster, folded (`Nữ`
//! is `nu`), beside the API names; a file may use either.

use crate::entity::person::{Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion};

/// The Vietnamese words for each vocabulary, folded (`Nữ` is `nu`), beside the API names.
pub(super) const GENDERS: &[(&str, Gender)] = &[("nam", Gender::Male), ("nu", Gender::Female)];
pub(super) const RELIGIONS: &[(&str, Religion)] = &[
    ("khong", Religion::None),
    ("phat giao", Religion::Buddhism),
    ("cong giao", Religion::Catholicism),
    ("thien chua giao", Religion::Catholicism),
    ("tin lanh", Religion::Protestantism),
    ("cao dai", Religion::CaoDai),
    ("hoa hao", Religion::HoaHao),
    ("phat giao hoa hao", Religion::HoaHao),
    ("hoi giao", Religion::Islam),
    ("khac", Religion::Other),
];
/// Forms write general education as the grade reached out of twelve ("9/12").
pub(super) const GENERAL_EDUCATION: &[(&str, GeneralEducation)] = &[
    ("tieu hoc", GeneralEducation::Primary),
    ("5/12", GeneralEducation::Primary),
    ("trung hoc co so", GeneralEducation::LowerSecondary),
    ("thcs", GeneralEducation::LowerSecondary),
    ("9/12", GeneralEducation::LowerSecondary),
    ("trung hoc pho thong", GeneralEducation::UpperSecondary),
    ("thpt", GeneralEducation::UpperSecondary),
    ("12/12", GeneralEducation::UpperSecondary),
];
pub(super) const PROFESSIONAL_EDUCATION: &[(&str, ProfessionalEducation)] = &[
    ("khong", ProfessionalEducation::None),
    ("so cap", ProfessionalEducation::Vocational),
    ("trung cap", ProfessionalEducation::Vocational),
    ("cao dang", ProfessionalEducation::College),
    ("dai hoc", ProfessionalEducation::University),
    ("sau dai hoc", ProfessionalEducation::Postgraduate),
    ("thac si", ProfessionalEducation::Postgraduate),
    ("tien si", ProfessionalEducation::Postgraduate),
];
pub(super) const POLITICAL_THEORY: &[(&str, PoliticalTheory)] = &[
    ("khong", PoliticalTheory::None),
    ("so cap", PoliticalTheory::Elementary),
    ("trung cap", PoliticalTheory::Intermediate),
    ("cao cap", PoliticalTheory::Advanced),
    ("cu nhan", PoliticalTheory::Advanced),
];
pub(super) const OCCUPATIONS: &[(&str, Occupation)] = &[
    ("nong dan", Occupation::Farmer),
    ("cong nhan", Occupation::Worker),
    ("truong thon", Occupation::VillageHead),
    ("truong ban", Occupation::VillageHead),
    ("can bo doan", Occupation::YouthUnionOfficer),
    ("giao vien", Occupation::Teacher),
    ("hoc sinh", Occupation::Student),
    ("sinh vien", Occupation::Student),
    ("cong an", Occupation::Police),
    ("dan quan", Occupation::Militia),
    ("quan nhan", Occupation::Military),
    ("bo doi", Occupation::Military),
    ("can bo", Occupation::CivilServant),
    ("cong chuc", Occupation::CivilServant),
    ("vien chuc", Occupation::CivilServant),
    ("y te", Occupation::HealthWorker),
    ("nhan vien y te", Occupation::HealthWorker),
    ("nguoi lao dong", Occupation::EnterpriseEmployee),
    ("chu doanh nghiep", Occupation::BusinessOwner),
    ("ho kinh doanh", Occupation::BusinessOwner),
    ("khac", Occupation::Other),
];
