//! Reading a reorganisation plan: a CSV file (UTF-8) with the columns
//! `operation,unit_code,target_code,effective_on`, one change to the tree a line, applied in the
//! file's order. Each line is checked on its own here; whether the change is allowed is the
//! tree's business when it is applied.

use chrono::NaiveDate;

use crate::domain::text::fold;
use crate::domain::tree::validate_code;
use crate::import::{LineError, parse_date, read_drafts};

/// The columns of a plan, all required.
const COLUMNS: [&str; 4] = ["operation", "unit_code", "target_code", "effective_on"];

/// What a line of a plan does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// `MOVE` (chuyển): the unit, with its subtree, goes under the target.
    Move,
    /// `MERGE` (hợp nhất, sáp nhập): the unit merges into the target, a unit of its level.
    Merge,
    /// `DISSOLVE` (giải thể): the unit, left without units or members, is dissolved.
    Dissolve,
}

impl Operation {
    /// Reads an operation: its name in any case, or the Vietnamese word (with or without marks).
    fn parse(text: &str) -> Option<Operation> {
        match fold(text).as_str() {
            "move" | "chuyen" => Some(Operation::Move),
            "merge" | "hop nhat" | "sap nhap" => Some(Operation::Merge),
            "dissolve" | "giai the" => Some(Operation::Dissolve),
            _ => None,
        }
    }
}

/// One line of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The line in the file (the header is line 1), for error reports.
    pub line: u64,
    pub operation: Operation,
    pub unit_code: String,
    /// The new parent (MOVE) or the unit merged into (MERGE); none for DISSOLVE.
    pub target_code: Option<String>,
    pub effective_on: NaiveDate,
}

/// The steps of a plan in file order, and every problem of its lines with their numbers.
pub fn parse(bytes: &[u8]) -> (Vec<Step>, Vec<LineError>) {
    let (drafts, mut errors) = read_drafts(bytes, COLUMNS, COLUMNS.len(), read_line);
    if drafts.is_empty() && errors.is_empty() {
        errors.push(LineError { line: 1, message: "the plan has no steps".to_owned() });
    }
    (drafts.into_iter().flatten().collect(), errors)
}

/// A line as a step, or `None` with the reasons it is not one.
fn read_line(line: u64, [operation, unit_code, target_code, effective_on]: [&str; 4]) -> (Option<Step>, Vec<String>) {
    let mut problems = Vec::new();
    let operation = Operation::parse(operation).or_else(|| {
        problems.push(format!("unknown operation '{operation}' (expected MOVE, MERGE or DISSOLVE)"));
        None
    });
    let code = |field: &str, text: &str, problems: &mut Vec<String>| match validate_code(text) {
        Ok(code) => Some(code),
        Err(err) => {
            problems.push(format!("{field}: {}", err.message()));
            None
        }
    };
    let unit_code = code("unit_code", unit_code, &mut problems);
    let target_code = match (operation, target_code.is_empty()) {
        (Some(Operation::Dissolve), true) | (None, _) => None,
        (Some(Operation::Dissolve), false) => {
            problems.push("DISSOLVE takes no target_code".to_owned());
            None
        }
        (Some(_), true) => {
            problems.push("MOVE and MERGE need a target_code".to_owned());
            None
        }
        (Some(_), false) => code("target_code", target_code, &mut problems),
    };
    if unit_code.is_some() && unit_code == target_code {
        problems.push("a unit cannot be its own target".to_owned());
    }
    let effective_on = match parse_date(effective_on) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            problems.push("effective_on is missing".to_owned());
            None
        }
        Err(message) => {
            problems.push(format!("effective_on: {message}"));
            None
        }
    };
    let step = match (problems.is_empty(), operation, unit_code, effective_on) {
        (true, Some(operation), Some(unit_code), Some(effective_on)) => {
            Some(Step { line, operation, unit_code, target_code, effective_on })
        }
        _ => None,
    };
    (step, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    #[test]
    fn reads_steps_in_file_order() {
        let file = "operation,unit_code,target_code,effective_on\n\
                    MOVE,P01.D01.C01,P01,2025-07-01\n\
                    giải thể,P01.D01,,01/07/2025\n\
                    merge,P01.D01.C02,P01.D01.C01,2025-07-01\n";
        let (steps, errors) = parse(file.as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        let on = day("2025-07-01");
        assert_eq!(
            steps,
            vec![
                Step {
                    line: 2,
                    operation: Operation::Move,
                    unit_code: "P01.D01.C01".into(),
                    target_code: Some("P01".into()),
                    effective_on: on
                },
                Step {
                    line: 3,
                    operation: Operation::Dissolve,
                    unit_code: "P01.D01".into(),
                    target_code: None,
                    effective_on: on
                },
                Step {
                    line: 4,
                    operation: Operation::Merge,
                    unit_code: "P01.D01.C02".into(),
                    target_code: Some("P01.D01.C01".into()),
                    effective_on: on
                },
            ]
        );
    }

    #[test]
    fn reports_each_bad_line_with_its_number() {
        let file = "operation,unit_code,target_code,effective_on\n\
                    SPLIT,P01,,2025-07-01\n\
                    MOVE,P01.D01,,2025-07-01\n\
                    DISSOLVE,P01.D01,P01,2025-07-01\n\
                    MERGE,P01 D01,P01.D02,2025-13-01\n\
                    MERGE,P01.D01,P01.D01,\n";
        let (steps, errors) = parse(file.as_bytes());
        assert!(steps.is_empty());
        let lines: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(lines[0], (2, "unknown operation 'SPLIT' (expected MOVE, MERGE or DISSOLVE)"));
        assert_eq!(lines[1], (3, "MOVE and MERGE need a target_code"));
        assert_eq!(lines[2], (4, "DISSOLVE takes no target_code"));
        assert_eq!(lines[3].0, 5);
        assert!(lines[3].1.starts_with("unit_code: unit code 'P01 D01'"), "{}", lines[3].1);
        assert_eq!(lines[4], (5, "effective_on: '2025-13-01' is not a date (expected YYYY-MM-DD)"));
        assert_eq!(lines[5], (6, "a unit cannot be its own target"));
        assert_eq!(lines[6], (6, "effective_on is missing"));
    }

    #[test]
    fn refuses_a_plan_without_steps() {
        let (steps, errors) = parse(b"operation,unit_code,target_code,effective_on\n");
        assert!(steps.is_empty());
        assert_eq!(errors, vec![LineError { line: 1, message: "the plan has no steps".into() }]);
        let (_, errors) = parse(b"operation,unit_code\nMOVE,P01\n");
        assert_eq!(
            errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(),
            vec!["the column 'target_code' is missing", "the column 'effective_on' is missing"]
        );
    }
}
