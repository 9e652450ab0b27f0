//! Reading lines, the checks across lines, and importing the fixtures all or nothing.

use sea_orm::Iterable;

use super::*;

/// Lines read from `code,level,kind,parent_code,established_on`, numbered from 2.
fn drafts(lines: &[[&str; 5]]) -> Vec<Draft> {
    let read = |(line, &[code, level, kind, parent, on]): (u64, &[&str; 5])| {
        read_line(line, [code, "X", level, kind, parent, on]).0
    };
    (2..).zip(lines).map(read).collect()
}

#[test]
fn reads_a_line_with_every_problem_on_it() {
    let (draft, problems) = read_line(7, ["Q.C1", "Chi bộ thôn 1", "chi bộ", "thôn", "Q.X", ""]);
    assert!(problems.is_empty(), "{problems:?}");
    let row = draft.complete().map(|row| (row.level, row.kind, row.established_on));
    assert_eq!(row, Some((UnitLevel::Cell, UnitKind::Village, RECORDS_BEGIN)));

    let (draft, problems) = read_line(3, ["a b", "", "", "VILLAGE", "", "1.1.2001"]);
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert_eq!(problems[2], "the level is missing (expected PROVINCE, DISTRICT, COMMUNE, CELL)");
    assert!(draft.complete().is_none());
    let (_, problems) = read_line(4, ["Q", "Tỉnh", "PROVINCE", "WARD", "P", ""]);
    let expected = [
        "a PROVINCE cannot be of kind WARD (expected PROVINCE, MUNICIPALITY)",
        "a PROVINCE has no parent unit, but parent_code is 'P'",
    ];
    assert_eq!(problems, expected);
}

#[test]
fn checks_lines_against_each_other() {
    let lines = drafts(&[
        ["P", "PROVINCE", "PROVINCE", "", "2000-01-01"],
        ["P.D", "DISTRICT", "TOWN", "P", "1999-12-31"],
        ["P", "PROVINCE", "PROVINCE", "", ""],
        ["P.C", "CELL", "VILLAGE", "P", "2001-01-01"],
        ["P.X", "COMMUNE", "WARD", "P.Y", "2001-01-01"],
        ["P.Y", "COMMUNE", "WARD", "P.X", "2001-01-01"],
        ["P.Z", "COMMUNE", "WARD", "Q", ""],
    ]);
    let cycle = |from: &str, to: &str| {
        format!(
            "a COMMUNE cannot be placed under a COMMUNE ('{to}'); its parent must be a DISTRICT or PROVINCE; \
             the unit is its own ancestor: {from} → {to} → {from}"
        )
    };
    let errors: Vec<_> =
        by_line(check_across(&lines, &HashMap::new())).into_iter().map(|e| (e.line, e.message)).collect();
    let expected = [
        (3, "the parent 'P' was established on 2000-01-01, after this unit (1999-12-31)".to_owned()),
        (4, "the code 'P' is already used on line 2".to_owned()),
        (5, "a CELL cannot be placed under a PROVINCE ('P'); its parent must be a COMMUNE".to_owned()),
        (6, cycle("P.X", "P.Y")),
        (7, cycle("P.Y", "P.X")),
        (8, "the parent 'Q' is neither in the file nor in the database".to_owned()),
    ];
    assert_eq!(errors, expected);
}

/// Creating units in level order creates parents first only while parents are of higher levels.
#[test]
fn parents_are_of_higher_levels() {
    assert!(UnitLevel::iter().all(|level| level.allowed_parents().iter().all(|parent| *parent < level)));
}

#[tokio::test]
async fn imports_the_fixtures_all_or_nothing() -> Result<(), ImportError> {
    let db = crate::db::connect("sqlite::memory:", 1).await?;
    crate::db::migrate(&db).await?;
    let actor = Actor::system("test");
    let bad = import_units(&db, &actor, &include_bytes!("../../../tests/fixtures/units_bad.csv")[..]).await;
    let Err(ImportError::Invalid(errors)) = bad else { panic!("the bad file imported: {bad:?}") };
    let lines: Vec<u64> = errors.iter().map(|error| error.line).collect();
    assert_eq!(lines, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21]);
    assert!(unit::Entity::find().one(&db).await?.is_none());

    let good = include_bytes!("../../../tests/fixtures/units_good.csv");
    assert_eq!(import_units(&db, &actor, &good[..]).await?, ImportReport { created: 12 });
    let an_son = tree::get_by_code(&db, "QNM.ANSON").await?;
    let above = tree::ancestors(&db, an_son.id.into(), an_son.established_on).await?;
    assert_eq!(above.iter().map(|unit| unit.code.as_str()).collect::<Vec<_>>(), ["QNM"]);
    let again = import_units(&db, &actor, &good[..]).await;
    let Err(ImportError::Invalid(errors)) = again else { panic!("imported twice: {again:?}") };
    assert_eq!(errors.len(), 12);
    assert_eq!(errors[0].to_string(), "line 2: a unit with the code 'QNM' already exists");
    Ok(())
}
