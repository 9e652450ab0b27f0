//! The roster's columns, reading lines, and a refusal while loading.

use sea_orm::{EntityTrait, Iterable};

use super::draft::COLUMN_COUNT;
use super::words::{GENDERS, GENERAL_EDUCATION, OCCUPATIONS, POLITICAL_THEORY, PROFESSIONAL_EDUCATION, RELIGIONS};
use super::*;
use crate::calendar::today_in_vietnam;
use crate::domain::text::fold;
use crate::entity::member;
use crate::entity::person::{
    self, Gender, GeneralEducation, Occupation, PoliticalTheory, ProfessionalEducation, Religion,
};
use crate::import::all_names;

/// The roster's columns are a file format people fill in: a profile change that moves them
/// must be deliberate.
#[test]
fn the_columns_follow_the_profile_required_first() {
    assert_eq!(
        COLUMNS,
        [
            "cell_code",
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "general_education",
            "party_since",
            "religion",
            "professional_education",
            "political_theory",
            "occupation",
            "position",
            "citizen_id",
            "address",
            "official_since",
        ]
    );
    assert_eq!(REQUIRED_COLUMNS, 7);
}

fn fields(overrides: &[(&str, &str)]) -> [String; COLUMN_COUNT] {
    let good = [
        ("cell_code", "Q.C1"),
        ("full_name", "Hồ Văn  Lượng"),
        ("gender", "Nam"),
        ("date_of_birth", "05/03/1972"),
        ("ethnicity", "xo dang"),
        ("general_education", "9/12"),
        ("party_since", "1998-02-03"),
        ("religion", ""),
        ("professional_education", ""),
        ("political_theory", "Sơ cấp"),
        ("occupation", "trưởng thôn"),
        ("position", " Trưởng thôn 1 "),
        ("citizen_id", "049072002468"),
        ("address", ""),
        ("official_since", "1999-02-03"),
    ];
    COLUMNS.map(|column| {
        let value = overrides.iter().chain(&good).find(|(name, _)| *name == column).map_or("", |(_, value)| *value);
        value.to_owned()
    })
}

fn read(overrides: &[(&str, &str)]) -> (Draft, Vec<String>) {
    read_line(2, fields(overrides).each_ref().map(String::as_str))
}

#[test]
fn reads_a_line_in_english_or_vietnamese_with_defaults() {
    let (draft, problems) = read(&[]);
    assert!(problems.is_empty(), "{problems:?}");
    let person = draft.person.unwrap_or_else(|| panic!("a good line has a profile"));
    assert_eq!(person.full_name, "Hồ Văn Lượng");
    assert_eq!(person.ethnicity, "Xơ Đăng");
    assert_eq!((person.gender, person.general_education), (Gender::Male, GeneralEducation::LowerSecondary));
    assert_eq!((person.religion, person.professional_education), (Religion::None, ProfessionalEducation::None));
    assert_eq!((person.political_theory, person.occupation), (PoliticalTheory::Elementary, Occupation::VillageHead));
    assert_eq!((person.position.as_deref(), person.address), (Some("Trưởng thôn 1"), None));
    assert_eq!(draft.name_key, "ho van luong");

    let (draft, problems) =
        read(&[("occupation", ""), ("official_since", ""), ("gender", "FEMALE"), ("citizen_id", "049172002468")]);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(draft.person.map(|p| (p.occupation, p.gender)), Some((Occupation::Other, Gender::Female)));
    assert_eq!(draft.official_since, None);
}

#[test]
fn reports_every_problem_of_a_line() {
    let (draft, problems) = read(&[
        ("gender", "Khác"),
        ("ethnicity", "Ba Lan"),
        ("citizen_id", "04907200246"),
        ("official_since", "1997-01-01"),
        ("general_education", ""),
        ("date_of_birth", "1850-01-01"),
    ]);
    assert!(draft.person.is_none());
    let expected = [
        format!("unknown gender 'Khác' (expected {}, or the Vietnamese word)", all_names::<Gender>()),
        "unknown ethnicity 'Ba Lan' (expected one of the 54 recognised ethnic groups)".to_owned(),
        format!(
            "the general_education is missing (expected {}, or the Vietnamese word)",
            all_names::<GeneralEducation>()
        ),
        "citizen ID '04907200246' must be exactly 12 digits".to_owned(),
        "official_since (1997-01-01) is before party_since (1998-02-03)".to_owned(),
        "1850-01-01 is not a plausible date of birth".to_owned(),
    ];
    assert_eq!(problems, expected);

    let (_, problems) = read(&[("full_name", ""), ("date_of_birth", "31/02/1990"), ("party_since", "")]);
    let expected = [
        "the full_name is missing",
        "date_of_birth: '31/02/1990' is not a date (expected YYYY-MM-DD)",
        "the party_since is missing",
    ];
    assert_eq!(problems, expected);
    let (_, problems) = read(&[("party_since", "1970-01-01"), ("official_since", "")]);
    assert_eq!(problems, ["party_since (1970-01-01) is not after the date_of_birth (1972-03-05)"]);
}

#[tokio::test]
async fn a_refusal_while_loading_is_the_lines_and_loads_nothing() -> Result<(), ImportError> {
    use sea_orm::PaginatorTrait;

    let db = crate::db::connect("sqlite::memory:", 1).await?;
    crate::db::migrate(&db).await?;
    let actor = Actor::system("test");
    let units = include_bytes!("../../../tests/fixtures/units_good.csv");
    super::super::units::import_units(&db, &actor, &units[..]).await?;
    let (mut drafts, errors) = parse(include_bytes!("../../../tests/fixtures/members_good.csv"));
    assert!(errors.is_empty(), "{errors:?}");
    // A date the line checks would refuse, slipped past them: the domain refuses it while
    // loading, after the lines before it were created.
    let tomorrow = today_in_vietnam() + chrono::Days::new(1);
    drafts[2].party_since = Some(tomorrow);
    let loaded =
        crate::import::transaction::in_transaction(&db, async |txn| load(txn, &actor, drafts, errors).await).await;
    let Err(ImportError::Invalid(lines)) = loaded else {
        panic!("the domain's refusal must stop the import");
    };
    assert_eq!(lines, [LineError { line: 4, message: format!("{tomorrow} is in the future") }]);
    assert_eq!(person::Entity::find().count(&db).await?, 0);
    assert_eq!(member::Entity::find().count(&db).await?, 0);
    Ok(())
}

#[test]
fn vocabularies_have_vietnamese_words_for_every_value() {
    fn covered<E: Iterable + Copy + PartialEq>(words: &[(&str, E)]) -> bool {
        E::iter().all(|value| words.iter().any(|(_, v)| *v == value))
    }
    assert!(covered(GENDERS) && covered(RELIGIONS) && covered(GENERAL_EDUCATION));
    assert!(covered(PROFESSIONAL_EDUCATION) && covered(POLITICAL_THEORY) && covered(OCCUPATIONS));
    fn folded<E>(words: &[(&str, E)]) -> bool {
        words.iter().all(|(word, _)| fold(word) == *word)
    }
    assert!(folded(GENDERS) && folded(RELIGIONS) && folded(GENERAL_EDUCATION));
    assert!(folded(PROFESSIONAL_EDUCATION) && folded(POLITICAL_THEORY) && folded(OCCUPATIONS));
}
